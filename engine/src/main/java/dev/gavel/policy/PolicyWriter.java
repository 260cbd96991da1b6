package dev.gavel.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a {@link Policy} back to a JSON policy document, in a normal form: elements in the
 * documented order, every list as an array, conditions grouped by operator in the order they
 * first appear. Parsing the output gives back an equal policy, source positions aside.
 */
public final class PolicyWriter {

    private static final JsonFactory FACTORY = new JsonFactory();

    private PolicyWriter() {}

    /** The policy as indented JSON. */
    public static String write(Policy policy) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            if (policy.version().jsonName() != null) {
                json.writeStringField("Version", policy.version().jsonName());
            }
            if (policy.id() != null) {
                json.writeStringField("Id", policy.id().value());
            }
            json.writeArrayFieldStart("Statement");
            for (Statement statement : policy.statements()) {
                statement(json, statement);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void statement(JsonGenerator json, Statement statement) throws IOException {
        json.writeStartObject();
        if (statement.sid() != null) {
            json.writeStringField("Sid", statement.sid().value());
        }
        if (statement.effect() != null) {
            json.writeStringField("Effect", statement.effect().jsonName());
        }
        if (statement.principal() != null) {
            principal(json, statement.principal());
        }
        patterns(json, statement.action(), "Action");
        patterns(json, statement.resource(), "Resource");
        if (!statement.conditions().isEmpty()) {
            conditions(json, statement.conditions());
        }
        json.writeEndObject();
    }

    private static void patterns(JsonGenerator json, PatternElement element, String name) throws IOException {
        if (element == null) {
            return;
        }
        json.writeArrayFieldStart(element.negated() ? "Not" + name : name);
        for (PolicyString pattern : element.patterns()) {
            json.writeString(pattern.value());
        }
        json.writeEndArray();
    }

    private static void principal(JsonGenerator json, PrincipalElement principal) throws IOException {
        String name = principal.negated() ? "NotPrincipal" : "Principal";
        if (principal.anyone()) {
            json.writeStringField(name, "*");
            return;
        }
        Map<PrincipalKind, List<String>> byKind = new LinkedHashMap<>();
        for (PrincipalId id : principal.ids()) {
            byKind.computeIfAbsent(id.kind(), k -> new ArrayList<>()).add(id.value());
        }
        json.writeObjectFieldStart(name);
        for (Map.Entry<PrincipalKind, List<String>> entry : byKind.entrySet()) {
            json.writeArrayFieldStart(entry.getKey().jsonName());
            for (String value : entry.getValue()) {
                json.writeString(value);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void conditions(JsonGenerator json, List<Condition> conditions) throws IOException {
        Map<String, List<Condition>> byOperator = new LinkedHashMap<>();
        for (Condition condition : conditions) {
            byOperator.computeIfAbsent(condition.operator().jsonName(), k -> new ArrayList<>()).add(condition);
        }
        json.writeObjectFieldStart("Condition");
        for (Map.Entry<String, List<Condition>> entry : byOperator.entrySet()) {
            json.writeObjectFieldStart(entry.getKey());
            for (Condition condition : entry.getValue()) {
                json.writeArrayFieldStart(condition.key());
                for (ConditionValue value : condition.values()) {
                    switch (value.json()) {
                        case NUMBER -> json.writeNumber(value.text());
                        case BOOLEAN -> json.writeBoolean(Boolean.parseBoolean(value.text()));
                        default -> json.writeString(value.text());
                    }
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }
}
