package dev.gavel.simulate;

import dev.gavel.eval.KeyKnowledge;
import dev.gavel.eval.PolicySet;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.TrustActions;
import dev.gavel.eval.Verdict;
import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonBoolean;
import dev.gavel.json.JsonNull;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonString;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.json.JsonValue;
import dev.gavel.json.NameHints;
import dev.gavel.json.Position;
import dev.gavel.match.Arn;
import dev.gavel.policy.Finding;
import dev.gavel.policy.FindingCode;
import dev.gavel.policy.ParseResult;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.PolicyQuota;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PolicyValidator;
import dev.gavel.policy.ServiceCatalog;
import dev.gavel.policy.Severity;
import dev.gavel.policy.SourceLocation;
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
 *  "resourcePolicy": doc, "endpointPolicy": doc, "scps": [[doc...]...], "rcps": [[doc...]...],
 *  "s3RestrictPublicBuckets": true | false,
 *  "unknownContext": true | false, "unknownKeys": ["aws:ResourceTag/*", ...],
 *  "expect": "allowed" | "explicitDeny" | "implicitDeny" | "conditional",
 *  "expectCondition": "Bool aws:MultiFactorAuthPresent [\"true\"]",
 *  "note": "...", "tags": [...], "x-...": ...}
 * </pre>
 *
 * A policy may be a JSON object or a string holding one (as AWS APIs pass them). A field the
 * format does not have is decided as if absent and reported as a warning, with a hint when it
 * looks like a misspelt one; {@code note}, {@code tags} and names starting {@code x-} are free for
 * users. A line that is not a valid case becomes a {@link MalformedCase} whose error names
 * the file, line, column and JSON path; the lines after it are read as usual.
 */
public final class CaseParser {

    /** The longest line read, in characters. */
    public static final int MAX_LINE_LENGTH = 4 << 20;
    private static final JsonReader READER = new JsonReader(MAX_LINE_LENGTH, 64);

    /** The fields of a case, and of its request; {@code note}, {@code tags} and {@code x-...} are free. */
    private static final List<String> CASE_FIELDS = List.of("id", "request", "expect", "identityPolicies",
            "permissionBoundary", "sessionPolicy", "resourcePolicy", "endpointPolicy", "scps", "rcps",
            "s3RestrictPublicBuckets", "unknownContext", "unknownKeys", "expectCondition");
    private static final List<String> FREE_FIELDS = List.of("note", "tags");
    private static final List<String> REQUEST_FIELDS = List.of("principal", "action", "resource", "resourceAccount",
            "context");

    private final String source;
    private final int line;
    private final String text;
    private final List<Finding> warnings = new ArrayList<>();
    private final List<CasePolicy> read = new ArrayList<>();

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

    /**
     * Reads every case of a case file's text, in order, as {@link #read(Path)} reads the file:
     * lines end at {@code \n}, {@code \r} or {@code \r\n}, and blank lines are skipped.
     */
    public static List<CaseLine> read(String source, String text) {
        List<CaseLine> cases = new ArrayList<>();
        int number = 0;
        for (String line : (Iterable<String>) text.lines()::iterator) {
            number++;
            if (!line.isBlank()) {
                cases.add(parse(source, number, line));
            }
        }
        return cases;
    }

    /** Reads one line; {@code source} names the file in errors. */
    public static CaseLine parse(String source, int line, String text) {
        return new CaseParser(source, line, text).parse();
    }

    /**
     * Everything {@code gavel validate} reports for one case line, in source order: why it cannot
     * be read, its unknown fields, and each policy's findings as the type its field gives it
     * (a trust policy when the request assumes a role). Findings inside a policy passed as a
     * string are reported at the string.
     */
    public static List<Finding> check(String source, int line, String text, ServiceCatalog catalog) {
        CaseParser parser = new CaseParser(source, line, text);
        CaseLine parsed = parser.parse();
        List<Finding> findings = new ArrayList<>(parsed.warnings());
        if (parsed instanceof MalformedCase malformed) {
            findings.add(malformed.problem());
        }
        for (CasePolicy read : parser.read) {
            PolicyType type = read.type();
            // Identity policies and boundaries may be AWS managed, which no quota limits.
            boolean quotaKnown = type != PolicyType.IDENTITY && type != PolicyType.BOUNDARY;
            PolicyValidator validator = new PolicyValidator(
                    new PolicyValidator.Options(type, PolicyQuota.defaultFor(type), quotaKnown, catalog));
            for (Finding finding : validator.validate(read.policy())) {
                SourceLocation at = finding.location();
                if (read.stringStart() != null) {
                    at = new SourceLocation(read.stringStart().line(), read.stringStart().column(),
                            join(read.policy().source(), at.path()));
                }
                findings.add(new Finding(finding.code(), finding.message(), source, at));
            }
        }
        findings.sort(Finding.SOURCE_ORDER);
        return findings;
    }

    /** Why a line is not a case, and where. */
    private static final class CaseException extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient Finding problem;

        CaseException(Finding problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }
    }

    /** A policy of the case as read, with the type its field gives it, for {@link #check}. */
    private record CasePolicy(Policy policy, PolicyType type, Position stringStart) {}

    private CaseLine parse() {
        JsonValue root;
        try {
            root = READER.read(text, line);
        } catch (JsonSyntaxException e) {
            return new MalformedCase(null, line, problem(e.position(), "", e.getMessage()), List.of());
        }
        String id = null;
        try {
            JsonObject object = object(root, "");
            unknownFields(object, CASE_FIELDS, "");
            id = optionalString(object, "id", "");
            if (id == null) {
                throw error(root, "", "missing \"id\"");
            }
            Request request = request(field(object, "request", ""));
            Policy session = optionalPolicy(object.get("sessionPolicy"), "sessionPolicy", PolicyType.SESSION);
            PolicySet policies = PolicySet.builder()
                    .identityPolicies(policies(object.get("identityPolicies"), "identityPolicies", PolicyType.IDENTITY))
                    .permissionBoundary(optionalPolicy(object.get("permissionBoundary"), "permissionBoundary",
                            PolicyType.BOUNDARY))
                    .sessionPolicies(session == null ? List.of() : List.of(session))
                    .resourcePolicy(optionalPolicy(object.get("resourcePolicy"), "resourcePolicy",
                            resourcePolicyType(request)))
                    .scps(levels(object.get("scps"), "scps", PolicyType.SCP))
                    .rcps(levels(object.get("rcps"), "rcps", PolicyType.RCP))
                    .endpointPolicy(optionalPolicy(object.get("endpointPolicy"), "endpointPolicy",
                            PolicyType.ENDPOINT))
                    .restrictPublicBuckets(restrictPublicBuckets(object.get("s3RestrictPublicBuckets"), request))
                    .build();
            KeyKnowledge knowledge = knowledge(object);
            Verdict expect = expect(object, knowledge);
            ExpectedCondition expectCondition = expectCondition(object, expect);
            String note = optionalString(object, "note", "");
            return new SimulationCase(id, line, request, policies, knowledge, expect, expectCondition, note,
                    warnings);
        } catch (CaseException e) {
            return new MalformedCase(id, line, e.problem, warnings);
        }
    }

    /**
     * Which context keys are unknown: with {@code unknownContext}, every key the request does not
     * give; with {@code unknownKeys}, those the names and patterns match.
     */
    private KeyKnowledge knowledge(JsonObject object) throws CaseException {
        JsonValue flag = object.get("unknownContext");
        boolean unknownContext = false;
        if (flag != null && !(flag instanceof JsonNull)) {
            if (!(flag instanceof JsonBoolean bool)) {
                throw error(flag, "unknownContext", "must be true or false, found " + flag.typeName());
            }
            unknownContext = bool.value();
        }
        List<String> keys = new ArrayList<>();
        JsonValue value = object.get("unknownKeys");
        if (value != null && !(value instanceof JsonNull)) {
            JsonArray array = array(value, "unknownKeys");
            for (int i = 0; i < array.elements().size(); i++) {
                JsonValue element = array.elements().get(i);
                String path = "unknownKeys[" + i + "]";
                if (!(element instanceof JsonString key)) {
                    throw error(element, path, "must be a context key or pattern as a string, found "
                            + element.typeName());
                }
                try {
                    // KeyKnowledge refuses what cannot name a context key; refused here, the path names it.
                    KeyKnowledge.complete().withUnknown(List.of(key.value()));
                } catch (IllegalArgumentException e) {
                    throw error(element, path, e.getMessage());
                }
                keys.add(key.value());
            }
        }
        return unknownContext || !keys.isEmpty() ? new KeyKnowledge(unknownContext, keys, List.of())
                : KeyKnowledge.complete();
    }

    /** The expected answer; {@code conditional} only when the case leaves some key unknown. */
    private Verdict expect(JsonObject object, KeyKnowledge knowledge) throws CaseException {
        String text = optionalString(object, "expect", "");
        if (text == null) {
            return null;
        }
        Verdict expect = Verdict.fromJson(text);
        if (expect == null) {
            throw error(object.get("expect"), "expect", "must be \"allowed\", \"explicitDeny\", \"implicitDeny\" or "
                    + "\"conditional\", found \"" + text + "\"");
        }
        if (expect == Verdict.CONDITIONAL && knowledge.equals(KeyKnowledge.complete())) {
            throw error(object.get("expect"), "expect", "\"conditional\" needs context keys whose values are "
                    + "unknown: name them in \"unknownKeys\", or set \"unknownContext\": true");
        }
        return expect;
    }

    /** The condition a conditional answer must carry, written as Gavel prints one. */
    private ExpectedCondition expectCondition(JsonObject object, Verdict expect) throws CaseException {
        String text = optionalString(object, "expectCondition", "");
        if (text == null) {
            return null;
        }
        JsonValue value = object.get("expectCondition");
        if (expect != Verdict.CONDITIONAL) {
            throw error(value, "expectCondition", "is the condition of a conditional answer, and the case expects "
                    + (expect == null ? "no answer" : "\"" + expect + "\"") + ": add \"expect\": \"conditional\"");
        }
        try {
            return ExpectedCondition.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(value, "expectCondition", "is not a condition as Gavel prints one: " + e.getMessage());
        }
    }

    /** Warns of each member that is not a field of the format; {@code x-} names are the user's own. */
    private void unknownFields(JsonObject object, List<String> known, String path) {
        for (JsonObject.Member member : object.members()) {
            String name = member.name();
            if (known.contains(name) || path.isEmpty() && (name.startsWith("x-") || FREE_FIELDS.contains(name))) {
                continue;
            }
            String closest = NameHints.closest(name, known);
            String message = "unknown field \"" + name + "\"" + (path.isEmpty() ? "" : " in " + path)
                    + (closest == null ? "" : ": did you mean \"" + closest + "\"?");
            warnings.add(new Finding(FindingCode.UNKNOWN_CASE_FIELD, message, source, new SourceLocation(
                    member.namePosition().line(), member.namePosition().column(), join(path, name))));
        }
    }

    /** A role's trust policy when the request assumes the role, else a resource-based policy. */
    private static PolicyType resourcePolicyType(Request request) {
        Arn arn = Arn.parse(request.resource());
        boolean role = arn != null && arn.service().equals("iam") && arn.resource().startsWith("role/");
        return role && TrustActions.contains(request.action()) ? PolicyType.TRUST : PolicyType.RESOURCE;
    }

    /** Block Public Access's RestrictPublicBuckets, a setting of S3 buckets only. */
    private boolean restrictPublicBuckets(JsonValue value, Request request) throws CaseException {
        if (value == null || value instanceof JsonNull) {
            return false;
        }
        if (!(value instanceof JsonBoolean flag)) {
            throw error(value, "s3RestrictPublicBuckets", "must be true or false, found " + value.typeName());
        }
        Arn arn = Arn.parse(request.resource());
        if (flag.value() && (arn == null || !arn.service().equals("s3"))) {
            throw error(value, "s3RestrictPublicBuckets", "is a setting of S3 buckets, and the resource \""
                    + request.resource() + "\" is not an S3 bucket or object");
        }
        return flag.value();
    }

    private Request request(JsonValue value) throws CaseException {
        JsonObject object = object(value, "request");
        unknownFields(object, REQUEST_FIELDS, "request");
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

    private List<List<Policy>> levels(JsonValue value, String path, PolicyType type) throws CaseException {
        if (value == null || value instanceof JsonNull) {
            return List.of();
        }
        JsonArray array = array(value, path);
        List<List<Policy>> levels = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i++) {
            levels.add(policies(array.elements().get(i), path + "[" + i + "]", type));
        }
        return levels;
    }

    private List<Policy> policies(JsonValue value, String path, PolicyType type) throws CaseException {
        if (value == null || value instanceof JsonNull) {
            return List.of();
        }
        JsonArray array = array(value, path);
        List<Policy> policies = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i++) {
            policies.add(policy(array.elements().get(i), path + "[" + i + "]", type));
        }
        return policies;
    }

    private Policy optionalPolicy(JsonValue value, String path, PolicyType type) throws CaseException {
        return value == null || value instanceof JsonNull ? null : policy(value, path, type);
    }

    private Policy policy(JsonValue value, String path, PolicyType type) throws CaseException {
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
                String message = finding.code() + " " + finding.message();
                throw new CaseException(value instanceof JsonString ? problem(value.start(), where, message)
                        : problem(finding.location().line(), finding.location().column(), where, message));
            }
        }
        read.add(new CasePolicy(result.policy(), type, value instanceof JsonString ? value.start() : null));
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
        return new CaseException(problem(at.start(), path, message));
    }

    private Finding problem(Position at, String path, String message) {
        return problem(at.line(), at.column(), path, message);
    }

    private Finding problem(int atLine, int atColumn, String path, String message) {
        return new Finding(FindingCode.MALFORMED_CASE, message, source, new SourceLocation(atLine, atColumn, path));
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
