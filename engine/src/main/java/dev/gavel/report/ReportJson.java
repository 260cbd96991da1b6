package dev.gavel.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.eval.ConditionClause;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.Explanation;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.Residual;
import dev.gavel.eval.ResourceClause;
import dev.gavel.eval.Verdict;
import dev.gavel.policy.ConditionValue;
import dev.gavel.policy.Finding;
import dev.gavel.policy.PolicyString;
import dev.gavel.simulate.CaseLine;
import dev.gavel.simulate.CaseResult;
import dev.gavel.simulate.MalformedCase;
import dev.gavel.simulate.SimulationCase;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON that Gavel reports in: a case's result as {@code gavel simulate} prints it, findings
 * as {@code gavel validate --format json} prints them, explanations and their statements. The
 * command line and the sidecar's HTTP API both write with it, so the two never drift apart.
 * Written with jackson-core's generator, compact, one object a line.
 */
public final class ReportJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** Writes the fields of one JSON object. */
    public interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private ReportJson() {}

    /** One compact JSON object whose fields {@code body} writes. */
    public static String object(Body body) {
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

    /**
     * A case's line as {@code gavel simulate} prints it: {@code {"id", "decision", "expect",
     * "pass"}} (and {@code "explanation"} when asked), or {@code {"id", "line", "error"}} for a
     * malformed line. For a case with unknown context keys, {@code "decision"} may be
     * {@code conditional}, with its {@code "condition"}; {@code "explicitDenyCondition"} says when
     * an explicit deny depends on unknown keys, and {@code "expectCondition"} is the case's own.
     *
     * @param warnings whether to add the line's warnings (unknown fields) as {@code "warnings"},
     *     findings shaped as {@link #finding} writes them; the command line prints them on stderr
     */
    public static String caseLine(CaseResult result, boolean explain, boolean warnings) {
        CaseLine line = result.line();
        return object(json -> {
            json.writeStringField("id", line.id());
            if (line instanceof MalformedCase malformed) {
                json.writeNumberField("line", malformed.line());
                json.writeStringField("error", malformed.error());
            } else {
                SimulationCase simulation = (SimulationCase) line;
                ConditionalEvaluation evaluation = result.evaluation();
                json.writeStringField("decision", evaluation.verdict().jsonName());
                conditions(json, evaluation, "condition", "explicitDenyCondition");
                if (simulation.expect() != null) {
                    json.writeStringField("expect", simulation.expect().jsonName());
                    if (simulation.expectCondition() != null) {
                        json.writeStringField("expectCondition", simulation.expectCondition().text());
                    }
                    json.writeBooleanField("pass", result.outcome() == CaseResult.Outcome.PASSED);
                }
                if (explain) {
                    explanation(json, evaluation.explanation());
                }
            }
            if (warnings && !line.warnings().isEmpty()) {
                json.writeArrayFieldStart("warnings");
                for (Finding warning : line.warnings()) {
                    json.writeStartObject();
                    finding(json, warning);
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
        });
    }

    /**
     * A conditional evaluation's residual conditions, under the given field names: the allowed
     * one when the verdict is {@code conditional}, the explicit deny one when it is neither
     * {@code true} nor {@code false}.
     */
    public static void conditions(JsonGenerator json, ConditionalEvaluation evaluation, String allowedField,
            String explicitDenyField) throws IOException {
        if (evaluation.verdict() == Verdict.CONDITIONAL) {
            json.writeFieldName(allowedField);
            residual(json, evaluation.allowedWhen());
        }
        Residual explicitDeny = evaluation.explicitDenyWhen();
        if (!explicitDeny.isTrue() && !explicitDeny.isFalse()) {
            json.writeFieldName(explicitDenyField);
            residual(json, explicitDeny);
        }
    }

    /**
     * A residual condition as a JSON value: {@code true} or {@code false}; {@code {"and": [...]}},
     * {@code {"or": [...]}}, {@code {"not": ...}}; a clause as an object whose {@code "clause"} is
     * {@code "condition"} (operator, key, values) or {@code "resource"} (resource, patterns,
     * negated), with the statement it belongs to.
     */
    public static void residual(JsonGenerator json, Residual residual) throws IOException {
        if (residual instanceof Residual.Truth truth) {
            json.writeBoolean(truth.value());
        } else if (residual instanceof Residual.And and) {
            group(json, "and", and.children());
        } else if (residual instanceof Residual.Or or) {
            group(json, "or", or.children());
        } else if (residual instanceof Residual.Not not) {
            json.writeStartObject();
            json.writeFieldName("not");
            residual(json, not.child());
            json.writeEndObject();
        } else if (residual instanceof ConditionClause condition) {
            json.writeStartObject();
            json.writeStringField("clause", "condition");
            json.writeStringField("operator", condition.condition().operator().jsonName());
            json.writeStringField("key", condition.condition().key());
            json.writeArrayFieldStart("values");
            for (ConditionValue value : condition.condition().values()) {
                json.writeString(value.text());
            }
            json.writeEndArray();
            json.writeFieldName("statement");
            statement(json, condition.statement());
            json.writeEndObject();
        } else {
            ResourceClause resource = (ResourceClause) residual;
            json.writeStartObject();
            json.writeStringField("clause", "resource");
            json.writeStringField("resource", resource.resource());
            json.writeArrayFieldStart("patterns");
            for (PolicyString pattern : resource.element().patterns()) {
                json.writeString(pattern.value());
            }
            json.writeEndArray();
            json.writeBooleanField("negated", resource.element().negated());
            json.writeFieldName("statement");
            statement(json, resource.statement());
            json.writeEndObject();
        }
    }

    private static void group(JsonGenerator json, String name, List<Residual> children) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart(name);
        for (Residual child : children) {
            residual(json, child);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** Findings as {@code gavel validate --format json} prints them: an array, one finding a line. */
    public static String findings(List<Finding> findings) {
        List<String> objects = new ArrayList<>(findings.size());
        for (Finding finding : findings) {
            objects.add(object(json -> finding(json, finding)));
        }
        return "[" + String.join(",\n", objects) + "]";
    }

    /** The field {@code "explanation"}: decidedBy, reason, statements, missingContextKeys. */
    public static void explanation(JsonGenerator json, Explanation explanation) throws IOException {
        json.writeObjectFieldStart("explanation");
        json.writeStringField("decidedBy", explanation.decidedBy() == null ? null : explanation.decidedBy().cliName());
        json.writeStringField("reason", explanation.reason());
        json.writeArrayFieldStart("statements");
        for (MatchedStatement statement : explanation.statements()) {
            statement(json, statement);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("missingContextKeys");
        for (String key : explanation.missingContextKeys()) {
            json.writeString(key);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** One decisive statement as an object: policyType, level (SCPs and RCPs), policy, statement, effect, where. */
    public static void statement(JsonGenerator json, MatchedStatement statement) throws IOException {
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

    /** The field {@code "MatchedStatements"}, as the AWS CLI's policy simulator writes it. */
    public static void matchedStatements(JsonGenerator json, List<MatchedStatement> statements) throws IOException {
        json.writeArrayFieldStart("MatchedStatements");
        for (MatchedStatement statement : statements) {
            json.writeStartObject();
            json.writeStringField("SourcePolicyId", statement.policy());
            json.writeStringField("SourcePolicyType", statement.policyType().cliName());
            json.writeStringField("StatementId", statement.statement());
            json.writeStringField("Effect", statement.effect().jsonName());
            json.writeObjectFieldStart("StartPosition");
            json.writeNumberField("Line", statement.location().line());
            json.writeNumberField("Column", statement.location().column());
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** A finding's fields: file, line, column, path, severity, code, message. */
    public static void finding(JsonGenerator json, Finding finding) throws IOException {
        json.writeStringField("file", finding.source());
        json.writeNumberField("line", finding.location().line());
        json.writeNumberField("column", finding.location().column());
        json.writeStringField("path", finding.location().path());
        json.writeStringField("severity", finding.severity().name());
        json.writeStringField("code", finding.code().name());
        json.writeStringField("message", finding.message());
    }
}
