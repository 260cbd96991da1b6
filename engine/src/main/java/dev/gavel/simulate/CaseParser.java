package dev.gavel.simulate;

import dev.gavel.eval.Decision;
import dev.gavel.eval.PolicySet;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonNull;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonString;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.json.JsonValue;
import dev.gavel.policy.Finding;
import dev.gavel.policy.ParseResult;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.Severity;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads simulation case files: JSON Lines, one case object a line, blank lines skipped.
 *
 * <pre>
 * {"id": "...", "request": {"principal": ARN, "action": "svc:Action", "resource": ARN,
 *                          "resourceAccount": "123456789012", "context": {"key": "v" | ["v1", "v2"]}},
 *  "identityPolicies": [doc...], "permissionBoundary": doc, "sessionPolicy": doc,
 *  "resourcePolicy": doc, "scps": [[doc...]...], "rcps": [[doc...]...],
 *  "expect": "allowed" | "explicitDeny" | "implicitDeny", "note": "..."}
 * </pre>
 *
 * A policy may be a JSON object or a string holding one (as AWS APIs pass them). Unknown fields
 * are ignored. A line that is not a valid case becomes a {@link MalformedCase} whose error names
 * the file, line, column and JSON path; the lines after it are read as usual.
 */
public final class CaseParser {

    /** The longest line read, in characters. */
    public static final int MAX_LINE_LENGTH = 4 << 20;
    private static final JsonReader READER = new JsonReader(MAX_LINE_LENGTH, 64);

    private final String source;
    private final int line;
    private final String text;

    private CaseParser(String source, int line, String text) {
        this.source = source;
        this.line = line;
        this.text = text;
    }

    /** Reads every case of a file, in order. */
    public static List<CaseLine> read(Path file) throws IOException {
        List<CaseLine> cases = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (!text.isBlank()) {
                    cases.add(parse(file.toString(), number, text));
                }
            }
        }
        return cases;
    }

    /** Reads one line; {@code source} names the file in errors. */
    public static CaseLine parse(String source, int line, String text) {
        return new CaseParser(source, line, text).parse();
    }

    /** Why a line is not a case, and where. */
    private static final class CaseException extends Exception {

        private static final long serialVersionUID = 1L;

        CaseException(String message) {
            super(message, null, false, false);
        }
    }

    private CaseLine parse() {
        JsonValue root;
        try {
            root = READER.read(text, line);
        } catch (JsonSyntaxException e) {
            return new MalformedCase(null, line, source + ":" + e.position() + ": " + e.getMessage());
        }
        String id = null;
        try {
            JsonObject object = object(root, "");
            id = optionalString(object, "id", "");
            if (id == null) {
                throw error(root, "", "missing \"id\"");
            }
            Request request = request(field(object, "request", ""));
            List<Policy> identity = policies(object.get("identityPolicies"), "identityPolicies");
            Policy boundary = optionalPolicy(object.get("permissionBoundary"), "permissionBoundary");
            Policy session = optionalPolicy(object.get("sessionPolicy"), "sessionPolicy");
            Policy resource = optionalPolicy(object.get("resourcePolicy"), "resourcePolicy");
            List<List<Policy>> scps = levels(object.get("scps"), "scps");
            List<List<Policy>> rcps = levels(object.get("rcps"), "rcps");
            Decision expect = null;
            String expectText = optionalString(object, "expect", "");
            if (expectText != null) {
                expect = Decision.fromJson(expectText);
                if (expect == null) {
                    throw error(object.get("expect"), "expect",
                            "must be \"allowed\", \"explicitDeny\" or \"implicitDeny\", found \"" + expectText + "\"");
                }
            }
            String note = optionalString(object, "note", "");
            PolicySet policies = new PolicySet(identity, boundary, session == null ? List.of() : List.of(session),
                    resource, scps, rcps);
            return new SimulationCase(id, line, request, policies, expect, note);
        } catch (CaseException e) {
            return new MalformedCase(id, line, e.getMessage());
        }
    }

    private Request request(JsonValue value) throws CaseException {
        JsonObject object = object(value, "request");
        String principal = requiredString(object, "principal", "request");
        String action = requiredString(object, "action", "request");
        String resource = requiredString(object, "resource", "request");
        String resourceAccount = optionalString(object, "resourceAccount", "request");
        RequestContext context = RequestContext.empty();
        JsonValue contextValue = object.get("context");
        if (contextValue != null && !(contextValue instanceof JsonNull)) {
            context = context(object(contextValue, "request.context"));
        }
        return new Request(principal, action, resource, resourceAccount, context);
    }

    private RequestContext context(JsonObject object) throws CaseException {
        RequestContext.Builder builder = RequestContext.builder();
        for (JsonObject.Member member : object.members()) {
            String path = "request.context." + member.name();
            JsonValue value = member.value();
            if (value instanceof JsonArray array) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < array.elements().size(); i++) {
                    values.add(scalar(array.elements().get(i), path + "[" + i + "]"));
                }
                builder.putMultivalued(member.name(), values);
            } else {
                builder.put(member.name(), scalar(value, path));
            }
        }
        return builder.build();
    }

    private String scalar(JsonValue value, String path) throws CaseException {
        String text = value.scalarText();
        if (text == null) {
            throw error(value, path, "must be a string or an array of strings, found " + value.typeName());
        }
        return text;
    }

    private List<List<Policy>> levels(JsonValue value, String path) throws CaseException {
        if (value == null || value instanceof JsonNull) {
            return List.of();
        }
        JsonArray array = array(value, path);
        List<List<Policy>> levels = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i++) {
            levels.add(policies(array.elements().get(i), path + "[" + i + "]"));
        }
        return levels;
    }

    private List<Policy> policies(JsonValue value, String path) throws CaseException {
        if (value == null || value instanceof JsonNull) {
            return List.of();
        }
        JsonArray array = array(value, path);
        List<Policy> policies = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i++) {
            policies.add(policy(array.elements().get(i), path + "[" + i + "]"));
        }
        return policies;
    }

    private Policy optionalPolicy(JsonValue value, String path) throws CaseException {
        return value == null || value instanceof dev.gavel.json.JsonNull ? null : policy(value, path);
    }

    private Policy policy(JsonValue value, String path) throws CaseException {
        ParseResult result;
        if (value instanceof JsonString string) {
            // A policy passed as a string, as AWS APIs do: positions are within the string.
            result = PolicyParser.parse(path, string.value());
        } else {
            result = PolicyParser.parse(path, value, text, path);
        }
        for (Finding finding : result.findings()) {
            if (finding.severity() == Severity.ERROR) {
                String where = finding.location().path().isEmpty() ? path : finding.location().path();
                int findingLine = value instanceof JsonString ? value.start().line() : finding.location().line();
                int column = value instanceof JsonString ? value.start().column() : finding.location().column();
                throw new CaseException(source + ":" + findingLine + ":" + column + ": " + where + ": "
                        + finding.code() + " " + finding.message());
            }
        }
        return result.policy();
    }

    private JsonValue field(JsonObject object, String name, String path) throws CaseException {
        JsonValue value = object.get(name);
        if (value == null || value instanceof JsonNull) {
            throw error(object, path, "missing \"" + name + "\"");
        }
        return value;
    }

    private String requiredString(JsonObject object, String name, String path) throws CaseException {
        String value = optionalString(object, name, path);
        if (value == null) {
            throw error(object, path, "missing \"" + name + "\"");
        }
        return value;
    }

    private String optionalString(JsonObject object, String name, String path) throws CaseException {
        JsonValue value = object.get(name);
        if (value == null || value instanceof JsonNull) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.value();
        }
        if (value.typeName().equals("number")) {
            return value.scalarText();
        }
        throw error(value, join(path, name), "must be a string, found " + value.typeName());
    }

    private JsonObject object(JsonValue value, String path) throws CaseException {
        if (value instanceof JsonObject object) {
            return object;
        }
        throw error(value, path, "must be an object, found " + value.typeName());
    }

    private JsonArray array(JsonValue value, String path) throws CaseException {
        if (value instanceof JsonArray array) {
            return array;
        }
        throw error(value, path, "must be an array, found " + value.typeName());
    }

    private CaseException error(JsonValue at, String path, String message) {
        String where = path.isEmpty() ? "" : path + ": ";
        return new CaseException(source + ":" + at.start().line() + ":" + at.start().column() + ": " + where + message);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
