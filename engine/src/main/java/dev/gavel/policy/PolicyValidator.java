package dev.gavel.policy;

import dev.gavel.condition.OperatorFamily;
import dev.gavel.condition.PolicyTemplate;
import dev.gavel.condition.TypedValues;
import dev.gavel.condition.IpRange;
import dev.gavel.match.Arn;
import dev.gavel.match.Wildcard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a parsed policy against the rules of its policy type, the way IAM Access Analyzer's
 * policy validation does: what the type requires and forbids, size quotas, characters, ARNs,
 * actions, Sids, condition values and policy variables.
 *
 * <p>A validator holds only its options; {@link #validate} may be called from many threads.
 */
public final class PolicyValidator {

    /**
     * What to validate against.
     *
     * @param type the role the policy plays
     * @param quota the size quota to apply
     * @param quotaKnown whether the caller knows the quota applies; when it only guesses (a
     *     policy of unknown origin may be AWS managed, which no quota limits), exceeding it is a
     *     warning rather than an error
     * @param catalog the known services and actions, or null to skip those checks
     */
    public record Options(PolicyType type, PolicyQuota quota, boolean quotaKnown, ServiceCatalog catalog) {

        /** Validation as the type, with its default quota taken as known, and no catalog. */
        public static Options of(PolicyType type) {
            return new Options(type, PolicyQuota.defaultFor(type), true, null);
        }

        public Options withCatalog(ServiceCatalog newCatalog) {
            return new Options(type, quota, quotaKnown, newCatalog);
        }
    }

    private static final Pattern IAM_SID = Pattern.compile("[A-Za-z0-9]*");
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9-]+:[A-Za-z0-9*?_.-]+");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    private static final Pattern CANONICAL_USER = Pattern.compile("[0-9a-fA-F]{64}");

    private final Options options;

    public PolicyValidator(Options options) {
        this.options = options;
    }

    /** Parses and validates one policy text: the parser's findings, then the validator's. */
    public List<Finding> validate(String source, String text) {
        ParseResult parsed = PolicyParser.parse(source, text);
        List<Finding> findings = new ArrayList<>(parsed.findings());
        if (parsed.policy() != null) {
            findings.addAll(validate(parsed.policy()));
        }
        findings.sort(Finding.SOURCE_ORDER);
        return findings;
    }

    /** The findings of the validator's own checks on a parsed policy, in source order. */
    public List<Finding> validate(Policy policy) {
        Run run = new Run(policy);
        run.policy();
        run.findings.sort(Finding.SOURCE_ORDER);
        return run.findings;
    }

    /** The state of validating one policy. */
    private final class Run {

        private final Policy policy;
        private final PolicyType type;
        private final List<Finding> findings = new ArrayList<>();

        Run(Policy policy) {
            this.policy = policy;
            this.type = options.type();
        }

        void policy() {
            if (policy.version() == PolicyVersion.ABSENT) {
                report(FindingCode.MISSING_VERSION, "the policy has no Version: policy variables are literal text; "
                        + "add \"Version\": \"2012-10-17\"", policy.location());
            } else if (type == PolicyType.RCP && policy.version() != PolicyVersion.V2012_10_17) {
                report(FindingCode.UNSUPPORTED_ELEMENT, "a resource control policy must use Version \"2012-10-17\"",
                        policy.location());
            }
            size();
            if (policy.id() != null) {
                characters(policy.id());
            }
            Map<String, Statement> sids = new HashMap<>();
            for (Statement statement : policy.statements()) {
                statement(statement, sids);
            }
        }

        private void size() {
            PolicyQuota quota = options.quota();
            int limit = quota.maxCharacters();
            int size = quota.measure(policy);
            if (size <= limit) {
                return;
            }
            String message = "the policy has " + size + " " + quota.unit() + ", over the " + quota.cliName()
                    + " quota of " + limit;
            if (!options.quotaKnown()) {
                report(FindingCode.POLICY_SIZE_UNCHECKED, message + " that applies if it is customer managed "
                        + "(AWS managed policies may be larger); give its type to check", policy.location());
            } else if (quota == PolicyQuota.ORGANIZATIONS && policy.compactLength() <= limit) {
                report(FindingCode.POLICY_SIZE_UNCHECKED, message + "; it fits only when saved through the console, "
                        + "which removes whitespace (the API saves it as written)", policy.location());
            } else {
                report(FindingCode.POLICY_SIZE_EXCEEDED, message, policy.location());
            }
        }

        private void statement(Statement statement, Map<String, Statement> sids) {
            SourceLocation at = statement.location();
            sid(statement, sids);
            if (statement.action() == null) {
                report(FindingCode.MISSING_ACTION, "a statement needs Action or NotAction", at);
            } else {
                actions(statement);
            }
            resources(statement);
            principal(statement);
            effect(statement);
            conditions(statement);
        }

        private void sid(Statement statement, Map<String, Statement> sids) {
            PolicyString sid = statement.sid();
            if (sid == null) {
                return;
            }
            characters(sid);
            if (!sid.value().isEmpty()) {
                Statement earlier = sids.putIfAbsent(sid.value(), statement);
                if (earlier != null) {
                    report(FindingCode.DUPLICATE_SID, "Sid \"" + sid.value() + "\" is already used by statement "
                            + earlier.index() + " at " + earlier.location(), sid.location());
                }
            }
            if (type != PolicyType.RESOURCE && type != PolicyType.ENDPOINT && !IAM_SID.matcher(sid.value()).matches()) {
                report(FindingCode.INVALID_SID, "Sid \"" + sid.value()
                        + "\" may hold only ASCII letters and digits in this policy type", sid.location());
            }
        }

        private void actions(Statement statement) {
            PatternElement action = statement.action();
            if (type == PolicyType.RCP && action.negated()) {
                report(FindingCode.UNSUPPORTED_ELEMENT, "a resource control policy cannot use NotAction",
                        action.location());
            }
            List<PolicyString> patterns = action.patterns();
            for (PolicyString pattern : patterns) {
                characters(pattern);
                String value = pattern.value();
                if (value.contains("${")) {
                    report(FindingCode.VARIABLE_NOT_SUBSTITUTED, "policy variables are not substituted in "
                            + (action.negated() ? "NotAction" : "Action") + ": \"" + value + "\" is literal",
                            pattern.location());
                    continue;
                }
                if (value.equals("*")) {
                    if (type == PolicyType.RCP) {
                        report(FindingCode.UNSUPPORTED_ELEMENT,
                                "a resource control policy must name a service in each action, not \"*\"",
                                pattern.location());
                    }
                    continue;
                }
                if (!ACTION.matcher(value).matches()) {
                    report(FindingCode.INVALID_ACTION, "action \"" + value + "\" must be \"*\" or \"service:action\"",
                            pattern.location());
                    continue;
                }
                catalog(pattern);
            }
            if (!action.negated()) {
                redundant(patterns, true, FindingCode.REDUNDANT_ACTION, "action");
            }
            if (statement.effect() == Effect.ALLOW && !action.negated() && statement.resource() != null
                    && !statement.resource().negated()
                    && statement.resource().patterns().stream().anyMatch(r -> r.value().equals("*"))
                    && patterns.stream().anyMatch(p -> Wildcard.matches(p.value(), "iam:PassRole", true))) {
                report(FindingCode.PASS_ROLE_WITH_STAR_IN_RESOURCE,
                        "iam:PassRole on every resource lets the holder pass any role to a service; "
                                + "name the roles instead", action.location());
            }
        }

        private void catalog(PolicyString pattern) {
            ServiceCatalog catalog = options.catalog();
            if (catalog == null) {
                return;
            }
            String value = pattern.value();
            int colon = value.indexOf(':');
            String service = value.substring(0, colon);
            String name = value.substring(colon + 1);
            if (Wildcard.hasWildcard(service)) {
                return;
            }
            if (!catalog.hasService(service)) {
                report(FindingCode.UNKNOWN_SERVICE, "service prefix \"" + service + "\" is not an AWS service",
                        pattern.location());
            } else if (!catalog.hasAction(service, name)) {
                report(FindingCode.UNKNOWN_ACTION, Wildcard.hasWildcard(name)
                        ? "\"" + value + "\" matches no action of service \"" + service + "\""
                        : "service \"" + service + "\" has no action \"" + name + "\"", pattern.location());
            }
        }

        private void resources(Statement statement) {
            PatternElement resource = statement.resource();
            if (type == PolicyType.TRUST) {
                if (resource != null) {
                    report(FindingCode.RESOURCE_NOT_ALLOWED, "a trust policy cannot have "
                            + (resource.negated() ? "NotResource" : "Resource")
                            + ": its resource is the role itself", resource.location());
                }
                return;
            }
            if (resource == null) {
                report(FindingCode.MISSING_RESOURCE, "a statement needs Resource or NotResource", statement.location());
                return;
            }
            for (PolicyString pattern : resource.patterns()) {
                characters(pattern);
                variables(pattern.value(), pattern.location());
                String value = pattern.value();
                if (value.equals("*")) {
                    continue;
                }
                Arn arn = Arn.parse(value);
                if (arn == null) {
                    report(FindingCode.INVALID_ARN, "resource \"" + value
                            + "\" must be \"*\" or an ARN: arn:partition:service:region:account:resource",
                            pattern.location());
                } else if (arn.partition().isEmpty() || arn.service().isEmpty()) {
                    report(FindingCode.INVALID_ARN, "resource \"" + value + "\" leaves out the "
                            + (arn.partition().isEmpty() ? "partition" : "service"), pattern.location());
                }
            }
            redundant(resource.negated() ? List.of() : resource.patterns(), false, FindingCode.REDUNDANT_RESOURCE,
                    "resource");
        }

        private void principal(Statement statement) {
            PrincipalElement principal = statement.principal();
            if (!type.namesPrincipals() && type != PolicyType.RCP) {
                if (principal != null) {
                    report(FindingCode.PRINCIPAL_NOT_ALLOWED, "a" + (type == PolicyType.IDENTITY ? "n " : " ")
                            + describe(type) + " cannot name " + (principal.negated() ? "NotPrincipal" : "Principal"),
                            principal.location());
                }
                return;
            }
            if (principal == null) {
                report(FindingCode.MISSING_PRINCIPAL, "a statement of a " + describe(type)
                        + " needs Principal" + (type == PolicyType.TRUST ? "" : " or NotPrincipal"),
                        statement.location());
                return;
            }
            if (type == PolicyType.RCP) {
                if (principal.negated()) {
                    report(FindingCode.UNSUPPORTED_ELEMENT, "a resource control policy cannot use NotPrincipal",
                            principal.location());
                } else if (!principal.anyone()) {
                    report(FindingCode.PRINCIPAL_NOT_ALLOWED,
                            "a resource control policy's Principal must be \"*\"; narrow it with conditions",
                            principal.location());
                }
                return;
            }
            if (principal.negated()) {
                if (type == PolicyType.TRUST) {
                    report(FindingCode.UNSUPPORTED_ELEMENT, "a trust policy cannot use NotPrincipal",
                            principal.location());
                } else if (statement.effect() == Effect.ALLOW) {
                    report(FindingCode.ALLOW_WITH_NOT_PRINCIPAL, "NotPrincipal must be used with \"Effect\": \"Deny\"; "
                            + "AWS does not support it with Allow: name the principals to allow in Principal",
                            principal.location());
                }
            }
            for (PrincipalId id : principal.ids()) {
                principalId(id);
            }
        }

        private void principalId(PrincipalId id) {
            String value = id.value();
            characters(new PolicyString(value, id.location()));
            if (value.equals("*")) {
                if (id.kind() == PrincipalKind.SERVICE) {
                    report(FindingCode.INVALID_PRINCIPAL, "\"Service\": \"*\" is not allowed; name the service",
                            id.location());
                }
                return;
            }
            if (Wildcard.hasWildcard(value)) {
                report(FindingCode.INVALID_PRINCIPAL, "principal \"" + value
                        + "\" uses a partial wildcard; only \"*\" alone is allowed", id.location());
                return;
            }
            boolean valid = switch (id.kind()) {
                case AWS -> ACCOUNT_ID.matcher(value).matches() || validAwsPrincipalArn(value)
                        || value.startsWith("AIDA") || value.startsWith("AROA");
                case SERVICE -> value.matches("[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?|[a-z0-9.-]+\\.amazon\\.com");
                case FEDERATED -> value.startsWith("arn:") ? Arn.parse(value) != null : value.indexOf('.') > 0;
                case CANONICAL_USER -> CANONICAL_USER.matcher(value).matches();
            };
            if (!valid) {
                report(FindingCode.INVALID_PRINCIPAL, "\"" + value + "\" is not a valid " + id.kind().jsonName()
                        + " principal", id.location());
            }
        }

        private boolean validAwsPrincipalArn(String value) {
            Arn arn = Arn.parse(value);
            if (arn == null || !ACCOUNT_ID.matcher(arn.account()).matches()) {
                return false;
            }
            return arn.service().equals("iam") || arn.service().equals("sts");
        }

        private void effect(Statement statement) {
            if (type == PolicyType.RCP && statement.effect() == Effect.ALLOW) {
                report(FindingCode.EFFECT_NOT_ALLOWED,
                        "a resource control policy's statements must be Deny; AWS's RCPFullAWSAccess is the only Allow",
                        statement.location());
            }
        }

        private void conditions(Statement statement) {
            for (Condition condition : statement.conditions()) {
                characters(new PolicyString(condition.key(), condition.location()));
                OperatorFamily family = condition.operator().base().family();
                for (ConditionValue value : condition.values()) {
                    characters(new PolicyString(value.text(), value.location()));
                    if (family.acceptsVariables()) {
                        variables(value.text(), value.location());
                        continue;
                    }
                    if (value.text().contains("${")) {
                        report(FindingCode.VARIABLE_NOT_SUBSTITUTED, "policy variables are not substituted in "
                                + condition.operator().base().jsonName() + " conditions: \"" + value.text()
                                + "\" is literal", value.location());
                        continue;
                    }
                    String problem = valueProblem(family, value.text());
                    if (problem != null) {
                        report(FindingCode.INVALID_CONDITION_VALUE, "\"" + value.text() + "\" " + problem
                                + " for " + condition.operator().jsonName(), value.location());
                    }
                }
            }
        }

        private static String valueProblem(OperatorFamily family, String text) {
            return switch (family) {
                case NUMERIC -> TypedValues.number(text) == null ? "is not a number" : null;
                case DATE -> TypedValues.date(text) == null ? "is not an ISO 8601 date or epoch seconds" : null;
                case BOOL -> TypedValues.bool(text) == null ? "is not true or false" : null;
                case BINARY -> TypedValues.binary(text) == null ? "is not base64" : null;
                case IP_ADDRESS -> IpRange.parse(text) == null ? "is not an IP address or CIDR block" : null;
                case NULL -> TypedValues.bool(text) == null ? "is not true or false" : null;
                default -> null;
            };
        }

        private void variables(String value, SourceLocation at) {
            if (policy.version() != PolicyVersion.V2012_10_17 && PolicyTemplate.parse(value).hasSubstitutions()) {
                report(FindingCode.VARIABLE_IN_OLD_VERSION, "\"" + value + "\" is literal text: policy variables "
                        + "need Version \"2012-10-17\"", at);
            }
        }

        private void redundant(List<PolicyString> patterns, boolean ignoreCase, FindingCode code, String what) {
            for (int i = 0; i < patterns.size(); i++) {
                String value = patterns.get(i).value();
                for (int j = 0; j < patterns.size(); j++) {
                    String other = patterns.get(j).value();
                    boolean same = ignoreCase ? value.equalsIgnoreCase(other) : value.equals(other);
                    boolean covered = i != j && (same ? j < i
                            : !Wildcard.hasWildcard(value) && Wildcard.matches(other, value, ignoreCase));
                    if (covered) {
                        report(code, what + " \"" + value + "\" is already covered by \"" + other + "\"",
                                patterns.get(i).location());
                        break;
                    }
                }
            }
        }

        private void characters(PolicyString string) {
            String value = string.value();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (!(c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0xff)) {
                    report(FindingCode.INVALID_CHARACTER, String.format("character U+%04X is not allowed in a policy; "
                            + "only tab, line feed, carriage return and U+0020 to U+00FF are", (int) c),
                            string.location());
                    return;
                }
            }
        }

        private void report(FindingCode code, String message, SourceLocation at) {
            findings.add(new Finding(code, message, policy.source(), at));
        }
    }

    private static String describe(PolicyType type) {
        return switch (type) {
            case IDENTITY -> "identity-based policy";
            case RESOURCE -> "resource-based policy";
            case TRUST -> "trust policy";
            case BOUNDARY -> "permissions boundary";
            case SESSION -> "session policy";
            case SCP -> "service control policy";
            case RCP -> "resource control policy";
            case ENDPOINT -> "VPC endpoint policy";
        };
    }
}
