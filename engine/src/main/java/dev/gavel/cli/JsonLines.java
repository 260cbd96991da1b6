package dev.gavel.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.Explanation;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.policy.Finding;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Writes the JSON objects the CLI prints, one per line, with jackson-core's generator. */
final class JsonLines {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** Builds one JSON object. */
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private JsonLines() {}

    static String object(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            body.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static void explanation(JsonGenerator json, Evaluation evaluation) throws IOException {
        Explanation explanation = evaluation.explanation();
        json.writeObjectFieldStart("explanation");
        json.writeStringField("decidedBy", explanation.decidedBy() == null ? null : explanation.decidedBy().cliName());
        json.writeStringField("reason", explanation.reason());
        json.writeArrayFieldStart("statements");
        for (MatchedStatement statement : explanation.statements()) {
            json.writeStartObject();
            json.writeStringField("policyType", statement.policyType().cliName());
            if (statement.level() >= 0) {
                json.writeNumberField("level", statement.level());
            }
            json.writeStringField("policy", statement.policy());
            json.writeStringField("statement", statement.statement());
            json.writeStringField("effect", statement.effect().jsonName());
            json.writeNumberField("line", statement.location().line());
            json.writeNumberField("column", statement.location().column());
            json.writeStringField("path", statement.location().path());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("missingContextKeys");
        for (String key : explanation.missingContextKeys()) {
            json.writeString(key);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    static void finding(JsonGenerator json, Finding finding) throws IOException {
        json.writeStringField("file", finding.source());
        json.writeNumberField("line", finding.location().line());
        json.writeNumberField("column", finding.location().column());
        json.writeStringField("path", finding.location().path());
        json.writeStringField("severity", finding.severity().name());
        json.writeStringField("code", finding.code().name());
        json.writeStringField("message", finding.message());
    }
}
