package dev.gavel.policy;

import dev.gavel.condition.ConditionOperator;
import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonString;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.json.JsonValue;
import dev.gavel.json.NameHints;
import dev.gavel.json.Position;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses policy documents into {@link Policy} models, reporting every structural problem with
 * its line, column and JSON path.
 *
 * <p>The parser accepts every form AWS accepts ({@code Statement} as an object or an array,
 * a string or an array wherever a list goes, JSON numbers and booleans as condition values) and
 * keeps going after a problem so that one run reports all of them. It knows nothing of what a
 * policy means: type-specific rules live in {@link PolicyValidator}.
 */
public final class PolicyParser {

    /** The longest policy text read, in characters: far above every AWS quota. */
    public static final int MAX_LENGTH = 1 << 20;
    /** The deepest nesting read; a valid policy nests five levels at most. */
    public static final int MAX_DEPTH = 32;

    private static final JsonReader READER = new JsonReader(MAX_LENGTH, MAX_DEPTH);
    private static final Set<String> POLICY_ELEMENTS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of(
            "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal",
            "Condition");

    private final String source;
    private final String text;
    /** The document's own path in its text, which every location's path starts with. */
    private final String documentPath;
    private final List<Finding> findings = new ArrayList<>();

    private PolicyParser(String source, String text, String documentPath) {
        this.source = source;
        this.text = text;
        this.documentPath = documentPath;
    }

    /** Parses a whole policy document; {@code source} names it in findings (a file path). */
    public static ParseResult parse(String source, String text) {
        JsonValue root;
        try {
            root = READER.read(text);
        } catch (JsonSyntaxException e) {
            Position at = e.position();
            FindingCode code = e.limitExceeded() ? FindingCode.LIMIT_EXCEEDED : FindingCode.JSON_SYNTAX;
            Finding finding = new Finding(code, e.getMessage(), source, new SourceLocation(at.line(), at.column(), ""));
            return new ParseResult(null, List.of(finding));
        }
        return parse(source, root, text, "");
    }

    /**
     * Parses a policy that is one value inside a larger JSON text, such as a policy embedded in
     * a simulation case. Positions are those of the larger text; paths start with {@code path}.
     *
     * @param text the whole text the value was read from, used to measure the policy's size;
     *     may be null when the value was not read from a text
     */
    public static ParseResult parse(String source, JsonValue root, String text, String path) {
        PolicyParser parser = new PolicyParser(source, text, path);
        Policy policy = parser.policy(root, "");
        return new ParseResult(policy, parser.findings);
    }

    private Policy policy(JsonValue root, String path) {
        if (!(root instanceof JsonObject object)) {
            report(FindingCode.INVALID_TYPE, "a policy must be a JSON object, found " + article(root), root, path);
            return null;
        }
        checkDuplicates(object, path);
        PolicyVersion version = PolicyVersion.ABSENT;
        PolicyString id = null;
        List<Statement> statements = new ArrayList<>();
        boolean sawStatement = false;
        for (JsonObject.Member member : firstMembers(object)) {
            String name = member.name();
            String memberPath = join(path, name);
            JsonValue value = member.value();
            if (!POLICY_ELEMENTS.contains(name)) {
                unknownElement(member, memberPath, POLICY_ELEMENTS, "a policy");
                continue;
            }
            switch (name) {
                case "Version" -> {
                    PolicyString text = string(value, memberPath, "Version");
                    if (text != null) {
                        PolicyVersion parsed = PolicyVersion.fromJson(text.value());
                        if (parsed == null) {
                            report(FindingCode.INVALID_VERSION, "version must be \"2012-10-17\" or \"2008-10-17\", found "
                                    + quote(text.value()), value, memberPath);
                        } else {
                            version = parsed;
                        }
                    }
                }
                case "Id" -> id = string(value, memberPath, "Id");
                default -> {
                    sawStatement = true;
                    statements(value, memberPath, statements);
                }
            }
        }
        if (!sawStatement) {
            report(FindingCode.MISSING_STATEMENT, "a policy must have a Statement element", root, path);
        }
        int length = hasText(object) ? object.end().offset() - object.start().offset() : -1;
        return new Policy(source, version, id, statements, location(root, path), length, compactLength(object));
    }

    private void statements(JsonValue value, String path, List<Statement> out) {
        if (value instanceof JsonObject) {
            Statement statement = statement(value, 0, path);
            if (statement != null) {
                out.add(statement);
            }
        } else if (value instanceof JsonArray array) {
            if (array.elements().isEmpty()) {
                report(FindingCode.EMPTY_ARRAY, "statement array is empty", value, path);
            }
            for (int i = 0; i < array.elements().size(); i++) {
                Statement statement = statement(array.elements().get(i), i, path + "[" + i + "]");
                if (statement != null) {
                    out.add(statement);
                }
            }
        } else {
            report(FindingCode.INVALID_TYPE, "Statement must be an object or an array of objects, found "
                    + article(value), value, path);
        }
    }

    private Statement statement(JsonValue value, int index, String path) {
        if (!(value instanceof JsonObject object)) {
            report(FindingCode.INVALID_TYPE, "a statement must be an object, found " + article(value), value, path);
            return null;
        }
        checkDuplicates(object, path);
        PolicyString sid = null;
        Effect effect = null;
        boolean sawEffect = false;
        PatternElement action = null;
        PatternElement resource = null;
        PrincipalElement principal = null;
        List<Condition> conditions = List.of();
        for (JsonObject.Member member : firstMembers(object)) {
            String name = member.name();
            String memberPath = join(path, name);
            JsonValue memberValue = member.value();
            if (!STATEMENT_ELEMENTS.contains(name)) {
                unknownElement(member, memberPath, STATEMENT_ELEMENTS, "a statement");
                continue;
            }
            switch (name) {
                case "Sid" -> sid = string(memberValue, memberPath, "Sid");
                case "Effect" -> {
                    sawEffect = true;
                    PolicyString text = string(memberValue, memberPath, "Effect");
                    if (text != null) {
                        effect = Effect.fromJson(text.value());
                        if (effect == null) {
                            report(FindingCode.INVALID_EFFECT, "effect must be \"Allow\" or \"Deny\", found "
                                    + quote(text.value()), memberValue, memberPath);
                        }
                    }
                }
                case "Action", "NotAction" -> action = pattern(object, member, memberPath, action, "Action");
                case "Resource", "NotResource" -> resource = pattern(object, member, memberPath, resource, "Resource");
                case "Principal", "NotPrincipal" -> {
                    if (principal != null) {
                        conflict(member, memberPath, "Principal");
                    } else {
                        principal = principal(memberValue, memberPath, name.startsWith("Not"));
                    }
                }
                default -> conditions = conditions(memberValue, memberPath);
            }
        }
        if (!sawEffect) {
            report(FindingCode.MISSING_EFFECT, "a statement must have an Effect", value, path);
        }
        // A statement without a valid Effect is kept so that validation reports its other problems.
        return new Statement(index, sid, effect, action, resource, principal, conditions, location(value, path));
    }

    private PatternElement pattern(JsonObject statement, JsonObject.Member member, String path,
            PatternElement already, String baseName) {
        if (already != null) {
            conflict(member, path, baseName);
            return already;
        }
        List<PolicyString> values = stringList(member.value(), path, member.name());
        return values == null ? null
                : new PatternElement(member.name().startsWith("Not"), values, location(member.value(), path));
    }

    private void conflict(JsonObject.Member member, String path, String baseName) {
        findings.add(new Finding(FindingCode.CONFLICTING_ELEMENTS,
                "a statement cannot have both " + baseName + " and Not" + baseName, source,
                nameLocation(member, path)));
    }

    private PrincipalElement principal(JsonValue value, String path, boolean negated) {
        String element = negated ? "NotPrincipal" : "Principal";
        if (value instanceof JsonString string) {
            if (!string.value().equals("*")) {
                report(FindingCode.INVALID_PRINCIPAL, element + " must be \"*\" or an object such as {\"AWS\": ...}, found "
                        + quote(string.value()), value, path);
                return null;
            }
            return new PrincipalElement(negated, true, List.of(), location(value, path));
        }
        if (!(value instanceof JsonObject object)) {
            report(FindingCode.INVALID_TYPE, element + " must be \"*\" or an object, found " + article(value), value, path);
            return null;
        }
        checkDuplicates(object, path);
        if (object.members().isEmpty()) {
            report(FindingCode.INVALID_PRINCIPAL, element + " names no principal", value, path);
            return null;
        }
        List<PrincipalId> ids = new ArrayList<>();
        for (JsonObject.Member member : firstMembers(object)) {
            String memberPath = join(path, member.name());
            PrincipalKind kind = PrincipalKind.fromJson(member.name());
            if (kind == null) {
                findings.add(new Finding(FindingCode.INVALID_PRINCIPAL, "unknown principal type " + quote(member.name())
                        + ": expected AWS, Service, Federated or CanonicalUser", source, nameLocation(member, memberPath)));
                continue;
            }
            List<PolicyString> values = stringList(member.value(), memberPath, element + "." + member.name());
            if (values != null) {
                for (PolicyString id : values) {
                    ids.add(new PrincipalId(kind, id.value(), id.location()));
                }
            }
        }
        return new PrincipalElement(negated, false, ids, location(value, path));
    }

    private List<Condition> conditions(JsonValue value, String path) {
        if (!(value instanceof JsonObject block)) {
            report(FindingCode.INVALID_TYPE, "Condition must be an object, found " + article(value), value, path);
            return List.of();
        }
        checkDuplicates(block, path);
        List<Condition> conditions = new ArrayList<>();
        for (JsonObject.Member operatorMember : firstMembers(block)) {
            String operatorPath = join(path, operatorMember.name());
            ConditionOperator operator = operator(operatorMember, operatorPath);
            if (!(operatorMember.value() instanceof JsonObject keys)) {
                report(FindingCode.INVALID_TYPE, "condition operator " + quote(operatorMember.name())
                        + " must map keys to values, found " + article(operatorMember.value()),
                        operatorMember.value(), operatorPath);
                continue;
            }
            checkDuplicates(keys, operatorPath);
            for (JsonObject.Member keyMember : firstMembers(keys)) {
                String keyPath = join(operatorPath, keyMember.name());
                List<ConditionValue> values = conditionValues(keyMember.value(), keyPath);
                if (operator != null && values != null) {
                    conditions.add(new Condition(operator, keyMember.name(), values, nameLocation(keyMember, keyPath)));
                }
            }
        }
        return conditions;
    }

    private ConditionOperator operator(JsonObject.Member member, String path) {
        ConditionOperator.ParseOutcome outcome = ConditionOperator.parse(member.name());
        SourceLocation at = nameLocation(member, path);
        if (outcome instanceof ConditionOperator.Parsed parsed) {
            if (!parsed.canonical()) {
                findings.add(new Finding(FindingCode.NONCANONICAL_OPERATOR, "condition operator " + quote(member.name())
                        + " is documented as " + quote(parsed.operator().jsonName()), source, at));
            }
            return parsed.operator();
        }
        if (outcome instanceof ConditionOperator.UnknownSetOperator unknown) {
            findings.add(new Finding(FindingCode.UNKNOWN_SET_OPERATOR, "unknown set operator " + quote(unknown.qualifier())
                    + ": expected ForAllValues or ForAnyValue", source, at));
        } else {
            findings.add(new Finding(FindingCode.UNKNOWN_OPERATOR, "unknown condition operator " + quote(member.name()),
                    source, at));
        }
        return null;
    }

    private List<ConditionValue> conditionValues(JsonValue value, String path) {
        if (value instanceof JsonArray array) {
            List<ConditionValue> values = new ArrayList<>();
            boolean valid = true;
            for (int i = 0; i < array.elements().size(); i++) {
                ConditionValue one = conditionValue(array.elements().get(i), path + "[" + i + "]");
                valid &= one != null;
                values.add(one);
            }
            return valid ? values : null;
        }
        ConditionValue one = conditionValue(value, path);
        return one == null ? null : List.of(one);
    }

    private ConditionValue conditionValue(JsonValue value, String path) {
        ConditionValue.JsonType type = switch (value.typeName()) {
            case "string" -> ConditionValue.JsonType.STRING;
            case "number" -> ConditionValue.JsonType.NUMBER;
            case "boolean" -> ConditionValue.JsonType.BOOLEAN;
            default -> null;
        };
        if (type == null) {
            report(FindingCode.INVALID_TYPE, "a condition value must be a string, number or boolean, found "
                    + article(value), value, path);
            return null;
        }
        return new ConditionValue(value.scalarText(), type, location(value, path));
    }

    private List<PolicyString> stringList(JsonValue value, String path, String element) {
        if (value instanceof JsonString string) {
            return List.of(new PolicyString(string.value(), location(value, path)));
        }
        if (!(value instanceof JsonArray array)) {
            report(FindingCode.INVALID_TYPE, element + " must be a string or an array of strings, found "
                    + article(value), value, path);
            return null;
        }
        if (array.elements().isEmpty()) {
            report(FindingCode.EMPTY_ARRAY, element + " must list at least one value", value, path);
            return null;
        }
        List<PolicyString> values = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i++) {
            JsonValue element1 = array.elements().get(i);
            String elementPath = path + "[" + i + "]";
            if (element1 instanceof JsonString string) {
                values.add(new PolicyString(string.value(), location(element1, elementPath)));
            } else {
                report(FindingCode.INVALID_TYPE, element + " values must be strings, found " + article(element1),
                        element1, elementPath);
            }
        }
        return values.size() == array.elements().size() ? values : null;
    }

    private PolicyString string(JsonValue value, String path, String element) {
        if (value instanceof JsonString string) {
            return new PolicyString(string.value(), location(value, path));
        }
        report(FindingCode.INVALID_TYPE, element + " must be a string, found " + article(value), value, path);
        return null;
    }

    /** Reports each repeated key once, at its second and later occurrences. */
    private void checkDuplicates(JsonObject object, String path) {
        Set<String> seen = new HashSet<>();
        for (JsonObject.Member member : object.members()) {
            if (!seen.add(member.name())) {
                findings.add(new Finding(FindingCode.DUPLICATE_KEY, "duplicate key " + quote(member.name()), source,
                        nameLocation(member, join(path, member.name()))));
            }
        }
    }

    /** The members, each name once (its first occurrence); duplicates are reported separately. */
    private static List<JsonObject.Member> firstMembers(JsonObject object) {
        Set<String> seen = new HashSet<>();
        List<JsonObject.Member> first = new ArrayList<>(object.members().size());
        for (JsonObject.Member member : object.members()) {
            if (seen.add(member.name())) {
                first.add(member);
            }
        }
        return first;
    }

    private void unknownElement(JsonObject.Member member, String path, Set<String> known, String where) {
        String closest = NameHints.closest(member.name(), known);
        String hint = closest == null ? "" : ": did you mean " + quote(closest) + "?"
                + (closest.equalsIgnoreCase(member.name()) ? " element names are case-sensitive" : "");
        findings.add(new Finding(FindingCode.UNKNOWN_ELEMENT, "unknown element " + quote(member.name()) + " in "
                + where + hint, source, nameLocation(member, path)));
    }

    private boolean hasText(JsonObject object) {
        int from = object.start().offset();
        int to = object.end().offset();
        return text != null && from >= 0 && to <= text.length() && to > from;
    }

    private int compactLength(JsonObject object) {
        if (!hasText(object)) {
            return -1;
        }
        int from = object.start().offset();
        int to = object.end().offset();
        int count = 0;
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                count++;
            }
        }
        return count;
    }

    private void report(FindingCode code, String message, JsonValue at, String path) {
        findings.add(new Finding(code, message, source, location(at, path)));
    }

    /*
     * The parser walks paths within the document; a location joins them to the document's path
     * only when asked. Paths within documents repeat across documents (Statement[0].Action), so
     * they are interned, as jackson interns member names: the locations of a large directory then
     * share them instead of each holding its own full path.
     */

    private SourceLocation location(JsonValue value, String path) {
        return SourceLocation.within(value.start().line(), value.start().column(), documentPath, path.intern());
    }

    private SourceLocation nameLocation(JsonObject.Member member, String path) {
        return SourceLocation.within(member.namePosition().line(), member.namePosition().column(), documentPath,
                path.intern());
    }

    static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    static String quote(String text) {
        return "\"" + text + "\"";
    }

    private static String article(JsonValue value) {
        String type = value.typeName();
        return (type.equals("object") || type.equals("array") ? "an " : "a ") + type;
    }
}
