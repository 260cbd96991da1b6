package dev.gavel.eval;

import dev.gavel.policy.Condition;
import dev.gavel.policy.Effect;
import dev.gavel.policy.PatternElement;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PolicyVersion;
import dev.gavel.policy.PrincipalElement;
import dev.gavel.policy.PrincipalId;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The executable specification of AWS's policy evaluation logic: the plainest code that states
 * the rules, statement by statement, with no caching or indexing. The compiled engine must agree
 * with it on every request.
 *
 * <p>The steps, as the IAM documentation orders them ("Policy evaluation logic"; "How AWS
 * enforcement code logic evaluates requests"), with the guardrails applied only to whom they bind:
 * <ol>
 *   <li>An explicit {@code Deny} in any applicable policy decides: {@code explicitDeny}.
 *   <li>Resources AWS reserves for itself (AWS managed policies, service-linked and Identity
 *       Center roles, {@code alias/aws/} KMS aliases) cannot be changed: {@code implicitDeny}
 *       ({@link ReservedResources}).
 *   <li>Resource control policies: every level holds AWS's implicit full-access policy, so only
 *       their denies (step 1) count. They bind every caller, anonymous ones and AWS services
 *       included, except sessions of service-linked roles ("Resource control policies").
 *   <li>Service control policies: every level, root first, must allow the request. They bind
 *       only IAM users and roles of member accounts, the root user included ("Service control
 *       policies"): never an anonymous caller, an AWS service, an identity provider's caller
 *       before it holds a session, or a service-linked role.
 *   <li>A VPC endpoint policy, when the request came through an endpoint, must allow it.
 *   <li>Some services require their resource policy to allow even within one account: a role's
 *       trust policy for {@code sts:AssumeRole*}, a key's key policy for KMS.
 *   <li>Within one account, a resource-based policy that names the caller (a user, a role
 *       session, everyone) allows on its own, beyond the reach of the boundary and the session
 *       policy; one that names the caller's role allows within the boundary and session policy;
 *       one that names the account only delegates to identity-based policies.
 *   <li>Otherwise an identity-based policy must allow, within the permissions boundary and the
 *       session policy.
 *   <li>Across accounts, both the identity side (step 8) and the resource-based policy must
 *       allow.
 * </ol>
 * {@code sts:GetCallerIdentity} is always allowed. Anything not allowed is {@code implicitDeny}.
 * With S3 Block Public Access's {@code RestrictPublicBuckets} on, a public bucket policy grants
 * nothing to anonymous callers or to other accounts ({@link PublicBucketPolicy}).
 */
public final class ReferenceEvaluator {

    /** How a resource-based policy statement's Principal matched the caller. */
    enum PrincipalMatch {
        /** Nothing matched. */
        NONE,
        /** The statement names the caller's account: it delegates to identity-based policies. */
        ACCOUNT,
        /** The statement names the role whose session the caller is. */
        ROLE,
        /** The statement names everyone ("*"), or a NotPrincipal does not exclude the caller. */
        ANYONE,
        /** The statement names the caller itself: its user, session, service or provider. */
        CALLER
    }

    private record Hit(MatchedStatement statement, PrincipalMatch principal) {}

    /** What every statement of one evaluation is matched against; collects missing keys. */
    private record Scope(Request request, Caller caller, boolean hasBoundary, Set<String> missing) {}

    /** Decides one request against its policies. Never throws for any policy the parser accepted. */
    public Evaluation evaluate(Request request, PolicySet policies) {
        Caller caller = Caller.parse(request.principal(), request.context());
        Set<String> missing = new LinkedHashSet<>();
        Scope scope = new Scope(request, caller, policies.permissionBoundary() != null, missing);
        if (request.action().equalsIgnoreCase("sts:GetCallerIdentity")) {
            return decide(Decision.ALLOWED, null, "sts:GetCallerIdentity is always allowed", List.of(), missing);
        }
        List<List<Policy>> scps = caller.boundBySCPs() ? policies.scps() : List.of();
        List<List<Policy>> rcps = caller.serviceLinked() ? List.of() : policies.rcps();
        String resourceAccount = resourceAccount(request, caller);

        // 1. Explicit denies, everywhere.
        List<Hit> denies = new ArrayList<>();
        for (int level = 0; level < scps.size(); level++) {
            collect(scps.get(level), PolicyType.SCP, level, Effect.DENY, scope, denies);
        }
        for (int level = 0; level < rcps.size(); level++) {
            collect(rcps.get(level), PolicyType.RCP, level, Effect.DENY, scope, denies);
        }
        collect(policies.identityPolicies(), PolicyType.IDENTITY, -1, Effect.DENY, scope, denies);
        collect(policies.permissionBoundary(), PolicyType.BOUNDARY, Effect.DENY, scope, denies);
        collect(policies.sessionPolicies(), PolicyType.SESSION, -1, Effect.DENY, scope, denies);
        collect(policies.endpointPolicy(), PolicyType.ENDPOINT, Effect.DENY, scope, denies);
        collect(policies.resourcePolicy(), PolicyType.RESOURCE, Effect.DENY, scope, denies);
        if (!denies.isEmpty()) {
            MatchedStatement first = denies.get(0).statement();
            return decide(Decision.EXPLICIT_DENY, first.policyType(),
                    "explicitly denied by " + first.describe(), statements(denies), missing);
        }

        // 2. Resources AWS reserves for itself.
        String reserved = ReservedResources.refusal(request.action(), request.resource(), caller.serviceLinked());
        if (reserved != null) {
            return decide(Decision.IMPLICIT_DENY, null, reserved, List.of(), missing);
        }

        // 3-4. Service control policies: every level must allow.
        for (int level = 0; level < scps.size(); level++) {
            List<Hit> allows = new ArrayList<>();
            collect(scps.get(level), PolicyType.SCP, level, Effect.ALLOW, scope, allows);
            if (allows.isEmpty()) {
                return decide(Decision.IMPLICIT_DENY, PolicyType.SCP,
                        "no service control policy at organization level " + level + " allows the action",
                        List.of(), missing);
            }
        }

        // 5. The VPC endpoint's policy must allow.
        if (policies.endpointPolicy() != null) {
            List<Hit> endpoint = new ArrayList<>();
            collect(policies.endpointPolicy(), PolicyType.ENDPOINT, Effect.ALLOW, scope, endpoint);
            if (endpoint.isEmpty()) {
                return decide(Decision.IMPLICIT_DENY, PolicyType.ENDPOINT,
                        "no statement of the VPC endpoint policy allows the request", List.of(), missing);
            }
        }

        List<Hit> identity = new ArrayList<>();
        collect(policies.identityPolicies(), PolicyType.IDENTITY, -1, Effect.ALLOW, scope, identity);
        List<Hit> boundary = new ArrayList<>();
        collect(policies.permissionBoundary(), PolicyType.BOUNDARY, Effect.ALLOW, scope, boundary);
        List<Hit> session = new ArrayList<>();
        collect(policies.sessionPolicies(), PolicyType.SESSION, -1, Effect.ALLOW, scope, session);
        List<Hit> resource = new ArrayList<>();
        collect(policies.resourcePolicy(), PolicyType.RESOURCE, Effect.ALLOW, scope, resource);
        String publicAccessBlock = null;
        if (!resource.isEmpty() && restrictedPublicGrant(policies, caller, resourceAccount)) {
            resource.clear();
            publicAccessBlock = "S3 Block Public Access (RestrictPublicBuckets) is on and the bucket policy is "
                    + "public, so it grants nothing to " + (caller.account() == null ? "a caller outside any account"
                    : "a principal of another account");
        }

        boolean withinBoundary = policies.permissionBoundary() == null || !boundary.isEmpty();
        boolean withinSession = policies.sessionPolicies().isEmpty() || !session.isEmpty();
        String exemptions = exemptions(policies, caller, scope);

        // 6. Trust policies and key policies must allow, whatever the account.
        String required = requiredResourcePolicy(request);
        if (required != null && resource.isEmpty()) {
            String within = caller.account() != null && caller.account().equals(resourceAccount)
                    ? " (it must allow even within one account)" : "";
            return decide(Decision.IMPLICIT_DENY, PolicyType.RESOURCE, (policies.resourcePolicy() == null
                    ? "no " + required + " is given" : "the " + required + " does not allow the caller") + within,
                    List.of(), missing);
        }

        if (caller.account() == null) {
            // Services, identity providers and anonymous callers hold no identity-based policies.
            if (!resource.isEmpty()) {
                return decide(Decision.ALLOWED, PolicyType.RESOURCE, "allowed by the resource-based policy"
                        + exemptions, statements(resource), missing);
            }
            return decide(Decision.IMPLICIT_DENY, PolicyType.RESOURCE, publicAccessBlock != null ? publicAccessBlock
                    : "no resource-based policy allows a caller outside any account", List.of(), missing);
        }

        boolean sameAccount = caller.account().equals(resourceAccount);
        boolean identitySide = !identity.isEmpty() && withinBoundary && withinSession;
        if (sameAccount) {
            // 7. Resource-based policies that name the caller stand on their own.
            List<Hit> direct = resource.stream()
                    .filter(h -> h.principal() == PrincipalMatch.CALLER || h.principal() == PrincipalMatch.ANYONE)
                    .toList();
            if (!direct.isEmpty()) {
                boolean named = direct.stream().anyMatch(h -> h.principal() == PrincipalMatch.CALLER);
                return decide(Decision.ALLOWED, PolicyType.RESOURCE, "allowed by the resource-based policy, which "
                        + (named ? "names the caller" : "applies to every caller") + exemptions,
                        statements(direct), missing);
            }
            List<Hit> viaRole = resource.stream().filter(h -> h.principal() == PrincipalMatch.ROLE).toList();
            if (!viaRole.isEmpty() && withinBoundary && withinSession) {
                return decide(Decision.ALLOWED, PolicyType.RESOURCE,
                        "allowed by the resource-based policy, which names the caller's role" + exemptions,
                        statements(viaRole), missing);
            }
            // 8. Identity-based policies, within the boundary and the session policy.
            if (identitySide) {
                return decide(Decision.ALLOWED, PolicyType.IDENTITY, "allowed by an identity-based policy"
                        + exemptions, statements(identity), missing);
            }
            return identityRefusal(identity, viaRole, withinBoundary, withinSession, policies, missing);
        }

        // 9. Across accounts both sides must allow.
        if (!identitySide) {
            return identityRefusal(identity, List.of(), withinBoundary, withinSession, policies, missing);
        }
        if (resource.isEmpty()) {
            return decide(Decision.IMPLICIT_DENY, PolicyType.RESOURCE, publicAccessBlock != null ? publicAccessBlock
                    : policies.resourcePolicy() == null
                            ? "a cross-account request needs a resource-based policy, and none is given"
                            : "the resource-based policy does not allow this cross-account caller",
                    List.of(), missing);
        }
        List<Hit> both = new ArrayList<>(identity);
        both.addAll(resource);
        return decide(Decision.ALLOWED, PolicyType.RESOURCE,
                "allowed across accounts by an identity-based policy and the resource-based policy" + exemptions,
                statements(both), missing);
    }

    /**
     * Whether RestrictPublicBuckets takes the bucket policy's grants from this caller: the policy
     * is public and the caller is neither an AWS service nor a principal of the bucket's account.
     */
    static boolean restrictedPublicGrant(PolicySet policies, Caller caller, String resourceAccount) {
        return policies.restrictPublicBuckets() && caller.kind() != Caller.Kind.SERVICE
                && (caller.account() == null || !caller.account().equals(resourceAccount))
                && PublicBucketPolicy.isPublic(policies.resourcePolicy());
    }

    /**
     * For an allowed request, why guardrails that would have refused it did not bind the caller:
     * "; service control policies ... do not bind ...", or "" when none would have refused it.
     */
    private static String exemptions(PolicySet policies, Caller caller, Scope scope) {
        StringBuilder text = new StringBuilder();
        if (!caller.boundBySCPs() && wouldRefuse(policies.scps(), PolicyType.SCP, true, scope)) {
            text.append("; the service control policies would refuse it, but they bind only IAM users and roles"
                    + " of member accounts, not ").append(caller.describe());
        }
        if (caller.serviceLinked() && wouldRefuse(policies.rcps(), PolicyType.RCP, false, scope)) {
            text.append("; the resource control policies would deny it, but they do not bind service-linked roles");
        }
        return text.toString();
    }

    /** Whether organization policies would refuse the request: a deny, or (SCPs) a level without an allow. */
    private static boolean wouldRefuse(List<List<Policy>> levels, PolicyType type, boolean everyLevelMustAllow,
            Scope scope) {
        // Keys that exempt guardrails ask for are not the request's missing keys.
        Scope quiet = new Scope(scope.request(), scope.caller(), scope.hasBoundary(), new LinkedHashSet<>());
        for (int level = 0; level < levels.size(); level++) {
            List<Hit> hits = new ArrayList<>();
            collect(levels.get(level), type, level, Effect.DENY, quiet, hits);
            if (!hits.isEmpty()) {
                return true;
            }
            collect(levels.get(level), type, level, Effect.ALLOW, quiet, hits);
            if (everyLevelMustAllow && hits.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static Evaluation identityRefusal(List<Hit> identity, List<Hit> viaRole, boolean withinBoundary,
            boolean withinSession, PolicySet policies, Set<String> missing) {
        if (identity.isEmpty() && viaRole.isEmpty()) {
            return decide(Decision.IMPLICIT_DENY, null,
                    "no identity-based or resource-based policy allows the action", List.of(), missing);
        }
        if (!withinBoundary) {
            return decide(Decision.IMPLICIT_DENY, PolicyType.BOUNDARY,
                    "the permissions boundary " + policies.permissionBoundary().source() + " does not allow the action",
                    List.of(), missing);
        }
        return decide(Decision.IMPLICIT_DENY, PolicyType.SESSION,
                "no session policy (" + String.join(", ", policies.sessionPolicies().stream().map(Policy::source)
                        .toList()) + ") allows the action", List.of(),
                missing);
    }

    private static Evaluation decide(Decision decision, PolicyType decidedBy, String reason,
            List<MatchedStatement> statements, Set<String> missing) {
        return new Evaluation(decision, new Explanation(decidedBy, reason, statements, List.copyOf(missing)));
    }

    private static List<MatchedStatement> statements(List<Hit> hits) {
        return hits.stream().map(Hit::statement).toList();
    }

    /** The resource policy that must allow even within one account, named for messages; or null. */
    static String requiredResourcePolicy(Request request) {
        String action = request.action().toLowerCase(Locale.ROOT);
        String[] arn = request.resource().split(":", 6);
        if (arn.length != 6) {
            return null;
        }
        if (TrustActions.contains(action) && arn[2].equals("iam") && arn[5].startsWith("role/")) {
            return "role's trust policy";
        }
        if (action.startsWith("kms:") && arn[2].equals("kms") && arn[5].startsWith("key/")) {
            return "key policy";
        }
        return null;
    }

    /** The request's resource account, else the ARN's account, else the caller's; the caller's for AWS's own. */
    static String resourceAccount(Request request, Caller caller) {
        String account = request.resourceAccount();
        if (account == null || account.isEmpty()) {
            String[] arn = request.resource().split(":", 6);
            account = arn.length == 6 && !arn[4].isEmpty() ? arn[4] : caller.account();
        }
        // What AWS itself owns (account "aws", such as AWS managed policies) is shared with every
        // account: reaching it is never a cross-account request.
        return "aws".equals(account) ? caller.account() : account;
    }

    private static void collect(List<Policy> list, PolicyType type, int level, Effect effect, Scope scope,
            List<Hit> out) {
        for (Policy policy : list) {
            collect(policy, type, level, effect, scope, out);
        }
    }

    private static void collect(Policy policy, PolicyType type, Effect effect, Scope scope, List<Hit> out) {
        if (policy != null) {
            collect(policy, type, -1, effect, scope, out);
        }
    }

    private static void collect(Policy policy, PolicyType type, int level, Effect effect, Scope scope,
            List<Hit> out) {
        for (Statement statement : policy.statements()) {
            if (statement.effect() != effect) {
                continue;
            }
            Hit hit = match(statement, policy, type, level, scope);
            if (hit != null) {
                out.add(hit);
            }
        }
    }

    /** The statement's hit when it applies to the request, else null. */
    private static Hit match(Statement statement, Policy policy, PolicyType type, int level, Scope scope) {
        Request request = scope.request();
        if (!actionMatches(statement.action(), request.action())) {
            return null;
        }
        if (!resourceMatches(statement.resource(), type, policy.version(), request.resource(), request.context())) {
            return null;
        }
        PrincipalMatch principal = PrincipalMatch.ANYONE;
        if (type.namesPrincipals()) {
            principal = principalMatch(statement, scope.caller(), scope.hasBoundary());
            if (principal == PrincipalMatch.NONE) {
                return null;
            }
        }
        boolean holds = true;
        for (Condition condition : statement.conditions()) {
            // Every condition is evaluated, so that each missing key is reported.
            holds &= ReferenceConditions.holds(condition, policy.version(), request.context(), scope.missing());
        }
        if (!holds) {
            return null;
        }
        return new Hit(new MatchedStatement(type, level, policy.source(), statement.label(), statement.effect(),
                statement.location()), principal);
    }

    static boolean actionMatches(PatternElement element, String action) {
        if (element == null) {
            return false;
        }
        boolean any = false;
        for (PolicyString pattern : element.patterns()) {
            any |= Glob.matches(pattern.value(), action, true);
        }
        return element.negated() != any;
    }

    /** Whether a statement's Resource or NotResource element (null when it has neither) covers the resource. */
    static boolean resourceMatches(PatternElement element, PolicyType type, PolicyVersion version, String resource,
            RequestContext context) {
        if (element == null) {
            // A resource-based policy's statements apply to the resource it is attached to.
            return type == PolicyType.RESOURCE || type == PolicyType.TRUST;
        }
        boolean any = false;
        for (PolicyString pattern : element.patterns()) {
            // A pattern whose variable has no value matches no resource.
            int[] compiled = Variables.pattern(pattern.value(), version, context);
            any |= pattern.value().equals("*")
                    || compiled != null && Arns.resourceMatches(compiled, resource);
        }
        return element.negated() != any;
    }

    /** How a resource-based policy statement's Principal or NotPrincipal matches the caller. */
    static PrincipalMatch principalMatch(Statement statement, Caller caller, boolean hasBoundary) {
        PrincipalElement element = statement.principal();
        if (element == null) {
            return PrincipalMatch.NONE;
        }
        if (element.negated()) {
            // "The NotPrincipal element with a Deny effect will always deny any IAM principal that
            // has a permissions boundary policy attached, regardless of the values specified."
            if (statement.effect() == Effect.DENY) {
                if (hasBoundary) {
                    return PrincipalMatch.ANYONE;
                }
                return excluded(element, caller) ? PrincipalMatch.NONE : PrincipalMatch.ANYONE;
            }
            // AWS does not support NotPrincipal with Allow; simulated anyway, it fails closed.
            return listsAny(element, caller) ? PrincipalMatch.NONE : PrincipalMatch.ANYONE;
        }
        if (element.anyone()) {
            return PrincipalMatch.ANYONE;
        }
        PrincipalMatch best = PrincipalMatch.NONE;
        for (PrincipalId id : element.ids()) {
            PrincipalMatch match = idMatch(id, caller);
            if (match.compareTo(best) > 0) {
                best = match;
            }
        }
        return best;
    }

    /** A NotPrincipal leaves the caller out only when it lists every identity the caller has. */
    private static boolean excluded(PrincipalElement element, Caller caller) {
        if (element.anyone()) {
            return true;
        }
        List<String> identities = caller.identities();
        if (identities.isEmpty()) {
            return false;
        }
        for (String identity : identities) {
            boolean listed = false;
            for (PrincipalId id : element.ids()) {
                listed |= names(id, identity, caller);
            }
            if (!listed) {
                return false;
            }
        }
        return true;
    }

    /** Whether a NotPrincipal lists any one of the caller's identities. */
    private static boolean listsAny(PrincipalElement element, Caller caller) {
        if (element.anyone()) {
            return true;
        }
        for (String identity : caller.identities()) {
            for (PrincipalId id : element.ids()) {
                if (names(id, identity, caller)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a principal id names one specific identity of the caller. */
    private static boolean names(PrincipalId id, String identity, Caller caller) {
        String value = id.value();
        if (value.equals("*")) {
            return true;
        }
        if (identity.equals(caller.accountRootArn())) {
            return value.equals(caller.account()) || value.equals(identity);
        }
        if (identity.equals(caller.roleArn()) && caller.kind() == Caller.Kind.ROLE_SESSION) {
            return namesRole(value, caller);
        }
        return value.equals(identity);
    }

    private static PrincipalMatch idMatch(PrincipalId id, Caller caller) {
        String value = id.value();
        switch (id.kind()) {
            case AWS:
                if (value.equals("*")) {
                    return PrincipalMatch.ANYONE;
                }
                if (caller.account() != null
                        && (value.equals(caller.account()) || value.equals(caller.accountRootArn()))) {
                    return caller.kind() == Caller.Kind.ROOT ? PrincipalMatch.CALLER : PrincipalMatch.ACCOUNT;
                }
                // A role named as the caller stands for its sessions, which a grant to the role
                // reaches only within the boundary and session policy.
                if (caller.roleName() != null && namesRole(value, caller)) {
                    return PrincipalMatch.ROLE;
                }
                if (value.equals(caller.arn())) {
                    return PrincipalMatch.CALLER;
                }
                return PrincipalMatch.NONE;
            case SERVICE:
                return caller.kind() == Caller.Kind.SERVICE && value.equalsIgnoreCase(caller.arn())
                        ? PrincipalMatch.CALLER : PrincipalMatch.NONE;
            case FEDERATED:
            case CANONICAL_USER:
            default:
                return value.equals(caller.arn()) ? PrincipalMatch.CALLER : PrincipalMatch.NONE;
        }
    }

    /** Whether a role ARN (with any path) names the role of the caller's session. */
    private static boolean namesRole(String value, Caller caller) {
        String prefix = "arn:" + caller.partition() + ":iam::" + caller.account() + ":role/";
        if (caller.roleName() == null || !value.startsWith(prefix)) {
            return false;
        }
        // Role names are unique within an account regardless of case and path.
        return value.substring(value.lastIndexOf('/') + 1).equalsIgnoreCase(caller.roleName());
    }
}
