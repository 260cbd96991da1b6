package dev.gavel.directory;

import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonBoolean;
import dev.gavel.json.JsonNull;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonString;
import dev.gavel.json.JsonValue;
import dev.gavel.json.Position;
import dev.gavel.policy.Finding;
import dev.gavel.policy.ParseResult;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.PolicyQuota;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PolicyValidator;
import dev.gavel.policy.Severity;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One JSON file of a directory being loaded: typed reads of its fields that record a problem,
 * with file, line, column and path, instead of failing, so that one load reports every problem.
 */
final class SourceFile {

    private final String file;
    private final String text;
    private final List<LoadProblem> problems;

    SourceFile(String file, String text, List<LoadProblem> problems) {
        this.file = file;
        this.text = text;
        this.problems = problems;
    }

    String file() {
        return file;
    }

    void problem(JsonValue at, String path, String message) {
        problem(at == null ? new Position(1, 1, 0) : at.start(), path, message);
    }

    void problem(Position at, String path, String message) {
        problems.add(new LoadProblem(file, at.line(), at.column(), path, message));
    }

    /** The object, or null after recording a problem. */
    JsonObject object(JsonValue value, String path) {
        if (value instanceof JsonObject object) {
            return object;
        }
        problem(value, path, "must be an object, found " + value.typeName());
        return null;
    }

    /** The field's string, or null; a required field that is absent is a problem. */
    String string(JsonObject object, String name, String path, boolean required) {
        JsonValue value = object.get(name);
        if (value == null || value instanceof JsonNull) {
            if (required) {
                problem(object, path, "missing \"" + name + "\"");
            }
            return null;
        }
        if (value instanceof JsonString string) {
            return string.value();
        }
        problem(value, join(path, name), "must be a string, found " + value.typeName());
        return null;
    }

    /** The field's array elements; an absent field is an empty list (AWS omits empty lists). */
    List<JsonValue> array(JsonObject object, String name, String path) {
        JsonValue value = object.get(name);
        if (value == null || value instanceof JsonNull) {
            return List.of();
        }
        if (value instanceof JsonArray array) {
            return array.elements();
        }
        problem(value, join(path, name), "must be an array, found " + value.typeName());
        return List.of();
    }

    /** The field's strings, from an array of strings. */
    List<String> strings(JsonObject object, String name, String path) {
        List<String> strings = new ArrayList<>();
        List<JsonValue> elements = array(object, name, path);
        for (int i = 0; i < elements.size(); i++) {
            JsonValue element = elements.get(i);
            if (element instanceof JsonString string) {
                strings.add(string.value());
            } else {
                problem(element, join(path, name) + "[" + i + "]", "must be a string, found " + element.typeName());
            }
        }
        return strings;
    }

    /** The field as true or false, or {@code absent}. */
    boolean bool(JsonObject object, String name, String path, boolean absent) {
        JsonValue value = object.get(name);
        if (value == null || value instanceof JsonNull) {
            return absent;
        }
        if (value instanceof JsonBoolean flag) {
            return flag.value();
        }
        problem(value, join(path, name), "must be true or false, found " + value.typeName());
        return absent;
    }

    /** The field as an integer, or {@code absent}. */
    int integer(JsonObject object, String name, String path, int absent) {
        JsonValue value = object.get(name);
        if (value == null || value instanceof JsonNull) {
            return absent;
        }
        try {
            return Integer.parseInt(value.scalarText() == null ? "" : value.scalarText());
        } catch (NumberFormatException e) {
            problem(value, join(path, name), "must be a whole number, found " + value.typeName());
            return absent;
        }
    }

    /**
     * Reads and validates a policy document given as a JSON object, or as a string holding JSON
     * (URL-encoded, as older AWS CLI versions print it). Its ERROR findings become problems.
     */
    Policy policy(JsonValue value, String path, String source, PolicyType type, PolicyQuota quota,
            boolean quotaKnown) {
        ParseResult parsed;
        boolean embeddedText = value instanceof JsonString;
        if (embeddedText) {
            String raw = ((JsonString) value).value();
            String json = raw.stripLeading().startsWith("{") ? raw : URLDecoder.decode(raw, StandardCharsets.UTF_8);
            parsed = PolicyParser.parse(source, json);
        } else if (value instanceof JsonObject) {
            parsed = PolicyParser.parse(source, value, text, path);
        } else {
            problem(value, path, "a policy document must be an object or a string, found " + value.typeName());
            return null;
        }
        List<Finding> findings = new ArrayList<>(parsed.findings());
        if (parsed.policy() != null) {
            findings.addAll(new PolicyValidator(new PolicyValidator.Options(type, quota, quotaKnown, null))
                    .validate(parsed.policy()));
        }
        boolean failed = parsed.policy() == null;
        for (Finding finding : findings) {
            if (finding.severity() != Severity.ERROR) {
                continue;
            }
            failed = true;
            String message = finding.code() + " " + finding.message();
            if (embeddedText) {
                problem(value, path, message + " (at " + finding.location() + " of the decoded document, "
                        + finding.location().path() + ")");
            } else {
                problems.add(new LoadProblem(file, finding.location().line(), finding.location().column(),
                        finding.location().path(), message));
            }
        }
        return failed ? null : parsed.policy();
    }

    static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
