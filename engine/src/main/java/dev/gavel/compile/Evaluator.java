package dev.gavel.compile;

import dev.gavel.eval.Caller;
import dev.gavel.eval.Decision;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.Explanation;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.ReservedResources;
import dev.gavel.match.ArnParts;
import dev.gavel.policy.Effect;
import dev.gavel.policy.PolicyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The compiled evaluator: AWS's evaluation logic over compiled plans, in the same steps as the
 * reference evaluator ({@code dev.gavel.eval.ReferenceEvaluator}), which it must agree with on
 * every request. Two ways in:
 *
 * <ul>
 *   <li>{@link #decide}: the decision alone. It stops at the first statement that settles a
 *       step, uses resource indexes, and allocates, locks and throws nothing once the plans for
 *       the action exist.
 *   <li>{@link #explain}: the decision with its explanation, naming the same statements in the
 *       same order as the reference (every statement of every step, every condition evaluated
 *       so that each missing key is seen). It allocates.
 * </ul>
 */
final class Evaluator {

    private static final int NO_HIT = 0;
    private static final int HIT = 1;
    private static final int ROLE_HIT = 2;
    private static final int DIRECT_HIT = 4;

    private final ActionMemo<ActionInfo> actions = new ActionMemo<>();

    private ActionInfo info(int actionId, String action) {
        ActionInfo info = actions.get(actionId);
        if (info == null) {
            info = ActionInfo.of(action);
            actions.put(actionId, info);
        }
        return info;
    }

    /**
     * Decides a request. The scratch must hold the request's context layers; the resource is read
     * into it here.
     *
     * @param resourceAccount the account that owns the resource, or null to take it from the ARN
     */
    Decision decide(Subject subject, PolicyGroup[] rcps, CompiledResource target, PolicyGroup endpoint,
            int actionId, String action, String resource, String resourceAccount, EvalScratch scratch) {
        return decide(subject, subject.plans(actionId, action), rcps, target, endpoint, actionId, action, resource,
                resourceAccount, scratch);
    }

    /** As the other {@code decide}, with the subject's plans for the action already found. */
    Decision decide(Subject subject, Subject.Plans plans, PolicyGroup[] rcps, CompiledResource target,
            PolicyGroup endpoint, int actionId, String action, String resource, String resourceAccount,
            EvalScratch scratch) {
        ActionInfo info = plans.info;
        if (info.alwaysAllowed()) {
            return Decision.ALLOWED;
        }
        CallerView caller = subject.caller;
        scratch.resource(resource);
        ArnParts arn = scratch.resource;
        boolean hasBoundary = plans.boundary != null;
        boolean scpsBind = caller.boundBySCPs;
        PolicyGroup resourcePolicy = target.policy;
        PolicyGroup.Plan resourcePlan = resourcePolicy == null ? null : resourcePolicy.plan(actionId, action);
        PolicyGroup.Plan endpointPlan = endpoint == null ? null : endpoint.plan(actionId, action);

        // 1. Explicit denies, everywhere.
        if (scpsBind) {
            for (PolicyGroup.Plan level : plans.scps) {
                if (any(level, true, false, caller, hasBoundary, scratch)) {
                    return Decision.EXPLICIT_DENY;
                }
            }
        }
        if (!caller.serviceLinked) {
            for (PolicyGroup level : rcps) {
                if (any(level.plan(actionId, action), true, false, caller, hasBoundary, scratch)) {
                    return Decision.EXPLICIT_DENY;
                }
            }
        }
        if (any(plans.identity, true, false, caller, hasBoundary, scratch)
                || plans.boundary != null && any(plans.boundary, true, false, caller, hasBoundary, scratch)
                || plans.sessions != null && any(plans.sessions, true, false, caller, hasBoundary, scratch)
                || endpointPlan != null && any(endpointPlan, true, true, caller, hasBoundary, scratch)
                || resourcePlan != null && any(resourcePlan, true, true, caller, hasBoundary, scratch)) {
            return Decision.EXPLICIT_DENY;
        }

        // 2. Resources AWS reserves for itself.
        if (reserved(info, arn, caller.serviceLinked)) {
            return Decision.IMPLICIT_DENY;
        }

        // 3-4. Service control policies: every level must allow.
        if (scpsBind) {
            for (PolicyGroup.Plan level : plans.scps) {
                if (!any(level, false, false, caller, hasBoundary, scratch)) {
                    return Decision.IMPLICIT_DENY;
                }
            }
        }

        // 5. The VPC endpoint's policy must allow.
        if (endpointPlan != null && !any(endpointPlan, false, true, caller, hasBoundary, scratch)) {
            return Decision.IMPLICIT_DENY;
        }

        boolean sameAccount = caller.account != null && sameAccount(caller, arn, resourceAccount);
        int resourceHits = NO_HIT;
        if (resourcePlan != null && !restricted(target, caller, sameAccount)) {
            resourceHits = resourceHits(resourcePlan, caller, hasBoundary, scratch);
        }

        // 6. Trust policies and key policies must allow, whatever the account.
        if (resourceHits == NO_HIT && requiresResourcePolicy(info, arn)) {
            return Decision.IMPLICIT_DENY;
        }
        if (caller.account == null) {
            return resourceHits != NO_HIT ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
        }
        if (sameAccount) {
            // 7. Resource-based policies that name the caller stand on their own.
            if ((resourceHits & DIRECT_HIT) != 0) {
                return Decision.ALLOWED;
            }
            // 8. Otherwise the caller's role or identity-based policies, within boundary and session policy.
            if (((resourceHits & ROLE_HIT) != 0 || any(plans.identity, false, false, caller, hasBoundary, scratch))
                    && within(plans, caller, hasBoundary, scratch)) {
                return Decision.ALLOWED;
            }
            return Decision.IMPLICIT_DENY;
        }
        // 9. Across accounts both sides must allow.
        return resourceHits != NO_HIT && any(plans.identity, false, false, caller, hasBoundary, scratch)
                && within(plans, caller, hasBoundary, scratch) ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
    }

    /** Whether the permissions boundary and the session policies (when present) allow. */
    private static boolean within(Subject.Plans plans, CallerView caller, boolean hasBoundary, EvalScratch scratch) {
        return (plans.boundary == null || any(plans.boundary, false, false, caller, hasBoundary, scratch))
                && (plans.sessions == null || any(plans.sessions, false, false, caller, hasBoundary, scratch));
    }

    /** Whether some deny (or allow) statement of the plan applies to the request. */
    private static boolean any(PolicyGroup.Plan plan, boolean deny, boolean principals, CallerView caller,
            boolean hasBoundary, EvalScratch scratch) {
        PolicyGroup.Entry[] entries = deny ? plan.denies : plan.allows;
        if (entries.length == 0) {
            return false;
        }
        if (deny ? plan.alwaysDenies : plan.alwaysAllows) {
            return true;
        }
        ResourceIndex index = deny ? plan.denyIndex : plan.allowIndex;
        int count = index == null ? -1 : index.lookup(scratch);
        if (count < 0) {
            for (PolicyGroup.Entry entry : entries) {
                if (applies(entry.statement(), principals, caller, hasBoundary, scratch) != PrincipalTest.NONE) {
                    return true;
                }
            }
            return false;
        }
        int[] candidates = scratch.candidates(count);
        for (int i = 0; i < count; i++) {
            if (applies(entries[candidates[i]].statement(), principals, caller, hasBoundary, scratch)
                    != PrincipalTest.NONE) {
                return true;
            }
        }
        return false;
    }

    /** Which kinds of grant the resource policy's allows give the caller: bits of HIT, ROLE_HIT, DIRECT_HIT. */
    private static int resourceHits(PolicyGroup.Plan plan, CallerView caller, boolean hasBoundary,
            EvalScratch scratch) {
        int hits = NO_HIT;
        PolicyGroup.Entry[] entries = plan.allows;
        int found = plan.allowIndex == null ? -1 : plan.allowIndex.lookup(scratch);
        int count = found < 0 ? entries.length : found;
        int[] candidates = found < 0 ? null : scratch.candidates(count);
        for (int i = 0; i < count; i++) {
            CompiledStatement statement = entries[found < 0 ? i : candidates[i]].statement();
            int match = applies(statement, true, caller, hasBoundary, scratch);
            if (match == PrincipalTest.CALLER || match == PrincipalTest.ANYONE) {
                return HIT | DIRECT_HIT;
            }
            if (match != PrincipalTest.NONE) {
                hits |= HIT | (match == PrincipalTest.ROLE ? ROLE_HIT : 0);
            }
        }
        return hits;
    }

    /** How the statement applies to the request: its principal match, or NONE when it does not apply. */
    private static int applies(CompiledStatement statement, boolean principals, CallerView caller,
            boolean hasBoundary, EvalScratch scratch) {
        if (!statement.coversResource(scratch)) {
            return PrincipalTest.NONE;
        }
        int match = PrincipalTest.ANYONE;
        if (principals) {
            match = statement.principal == null ? PrincipalTest.NONE : statement.principal.match(caller, hasBoundary);
            if (match == PrincipalTest.NONE) {
                return PrincipalTest.NONE;
            }
        }
        return statement.conditionsHold(scratch) ? match : PrincipalTest.NONE;
    }

    private static boolean sameAccount(CallerView caller, ArnParts arn, String resourceAccount) {
        if (resourceAccount != null && !resourceAccount.isEmpty()) {
            return resourceAccount.equals("aws") || resourceAccount.equals(caller.account);
        }
        if (arn.valid() && arn.end(4) > arn.start(4)) {
            return arn.partEquals(4, "aws") || arn.partEquals(4, caller.account);
        }
        return true;
    }

    /** Whether RestrictPublicBuckets takes the public bucket policy's grants from this caller. */
    private static boolean restricted(CompiledResource target, CallerView caller, boolean sameAccount) {
        return target.restrictPublicBuckets && target.publicPolicy && caller.kind != Caller.Kind.SERVICE
                && !sameAccount;
    }

    private static boolean requiresResourcePolicy(ActionInfo info, ArnParts arn) {
        if (!(info.trust() || info.kms()) || !arn.valid()) {
            return false;
        }
        String text = arn.text();
        int resourceStart = arn.start(5);
        return info.trust() && arn.partEquals(2, "iam") && text.startsWith("role/", resourceStart)
                || info.kms() && arn.partEquals(2, "kms") && text.startsWith("key/", resourceStart);
    }

    private static boolean reserved(ActionInfo info, ArnParts arn, boolean serviceLinked) {
        if (!(info.managedPolicy() || info.protectedRole() || info.identityCenterRole() || info.awsAlias())
                || !arn.valid() || !arn.partEquals(0, "arn")) {
            return false;
        }
        String text = arn.text();
        int resourceStart = arn.start(5);
        if (info.managedPolicy() && arn.partEquals(2, "iam") && arn.partEquals(4, "aws")
                && text.startsWith("policy/", resourceStart)) {
            return true;
        }
        if ((info.protectedRole() || info.identityCenterRole()) && !serviceLinked && arn.partEquals(2, "iam")) {
            if (info.protectedRole() && text.startsWith("role/aws-service-role/", resourceStart)) {
                return true;
            }
            if (text.startsWith("role/aws-reserved/", resourceStart)) {
                return true;
            }
        }
        return info.awsAlias() && arn.partEquals(2, "kms") && text.startsWith("alias/aws/", resourceStart);
    }

    // ---- explaining

    private record Hit(PolicyGroup.Entry entry, int principal) {}

    /**
     * Decides a request and explains it as the reference evaluator does: the same decisive
     * statements in the same order, the same reasons, the same missing context keys.
     */
    Evaluation explain(Subject subject, PolicyGroup[] rcps, CompiledResource target, PolicyGroup endpoint,
            int actionId, String action, String resource, String resourceAccount, EvalScratch scratch) {
        scratch.explaining(true);
        try {
            return explained(subject, rcps, target, endpoint, actionId, action, resource, resourceAccount, scratch);
        } finally {
            scratch.explaining(false);
        }
    }

    private Evaluation explained(Subject subject, PolicyGroup[] rcps, CompiledResource target, PolicyGroup endpoint,
            int actionId, String action, String resource, String resourceAccount, EvalScratch scratch) {
        ActionInfo info = info(actionId, action);
        if (info.alwaysAllowed()) {
            return decided(Decision.ALLOWED, null, "sts:GetCallerIdentity is always allowed", List.of(), scratch);
        }
        CallerView caller = subject.caller;
        scratch.resource(resource);
        ArnParts arn = scratch.resource;
        boolean hasBoundary = subject.boundary != null;
        PolicyGroup[] scps = caller.boundBySCPs ? subject.scps : PolicyGroup.NONE;
        PolicyGroup[] rcpLevels = caller.serviceLinked ? PolicyGroup.NONE : rcps;
        Context context = new Context(caller, hasBoundary, actionId, action, scratch);

        List<Hit> denies = new ArrayList<>();
        for (PolicyGroup level : scps) {
            context.collect(level, Effect.DENY, denies);
        }
        for (PolicyGroup level : rcpLevels) {
            context.collect(level, Effect.DENY, denies);
        }
        context.collect(subject.identity, Effect.DENY, denies);
        context.collect(subject.boundary, Effect.DENY, denies);
        context.collect(subject.sessions, Effect.DENY, denies);
        context.collect(endpoint, Effect.DENY, denies);
        context.collect(target.policy, Effect.DENY, denies);
        if (!denies.isEmpty()) {
            MatchedStatement first = denies.get(0).entry().matched();
            return decided(Decision.EXPLICIT_DENY, first.policyType(), "explicitly denied by " + first.describe(),
                    statements(denies), scratch);
        }

        String reserved = ReservedResources.refusal(action, resource, caller.serviceLinked);
        if (reserved != null) {
            return decided(Decision.IMPLICIT_DENY, null, reserved, List.of(), scratch);
        }

        for (int level = 0; level < scps.length; level++) {
            List<Hit> allows = new ArrayList<>();
            context.collect(scps[level], Effect.ALLOW, allows);
            if (allows.isEmpty()) {
                return decided(Decision.IMPLICIT_DENY, PolicyType.SCP,
                        "no service control policy at organization level " + level + " allows the action", List.of(),
                        scratch);
            }
        }
        if (endpoint != null) {
            List<Hit> allows = new ArrayList<>();
            context.collect(endpoint, Effect.ALLOW, allows);
            if (allows.isEmpty()) {
                return decided(Decision.IMPLICIT_DENY, PolicyType.ENDPOINT,
                        "no statement of the VPC endpoint policy allows the request", List.of(), scratch);
            }
        }

        List<Hit> identity = new ArrayList<>();
        context.collect(subject.identity, Effect.ALLOW, identity);
        List<Hit> boundary = new ArrayList<>();
        context.collect(subject.boundary, Effect.ALLOW, boundary);
        List<Hit> session = new ArrayList<>();
        context.collect(subject.sessions, Effect.ALLOW, session);
        List<Hit> granted = new ArrayList<>();
        context.collect(target.policy, Effect.ALLOW, granted);
        boolean sameAccount = caller.account != null && sameAccount(caller, arn, resourceAccount);
        String publicAccessBlock = null;
        if (!granted.isEmpty() && restricted(target, caller, sameAccount)) {
            granted.clear();
            publicAccessBlock = "S3 Block Public Access (RestrictPublicBuckets) is on and the bucket policy is "
                    + "public, so it grants nothing to " + (caller.account == null
                    ? "a caller outside any account" : "a principal of another account");
        }
        boolean withinBoundary = subject.boundary == null || !boundary.isEmpty();
        boolean withinSession = subject.sessions == null || !session.isEmpty();

        if (granted.isEmpty() && requiresResourcePolicy(info, arn)) {
            String required = info.trust() && arn.partEquals(2, "iam") ? "role's trust policy" : "key policy";
            String within = caller.account != null && sameAccount ? " (it must allow even within one account)" : "";
            return decided(Decision.IMPLICIT_DENY, PolicyType.RESOURCE, (target.policy == null
                    ? "no " + required + " is given" : "the " + required + " does not allow the caller") + within,
                    List.of(), scratch);
        }
        if (caller.account == null) {
            if (!granted.isEmpty()) {
                return decided(Decision.ALLOWED, PolicyType.RESOURCE, "allowed by the resource-based policy"
                        + exemptions(subject, rcps, context), statements(granted), scratch);
            }
            return decided(Decision.IMPLICIT_DENY, PolicyType.RESOURCE, publicAccessBlock != null ? publicAccessBlock
                    : "no resource-based policy allows a caller outside any account", List.of(), scratch);
        }
        boolean identitySide = !identity.isEmpty() && withinBoundary && withinSession;
        if (sameAccount) {
            List<Hit> direct = granted.stream().filter(h -> h.principal() == PrincipalTest.CALLER
                    || h.principal() == PrincipalTest.ANYONE).toList();
            if (!direct.isEmpty()) {
                boolean named = direct.stream().anyMatch(h -> h.principal() == PrincipalTest.CALLER);
                return decided(Decision.ALLOWED, PolicyType.RESOURCE, "allowed by the resource-based policy, which "
                        + (named ? "names the caller" : "applies to every caller") + exemptions(subject, rcps, context),
                        statements(direct), scratch);
            }
            List<Hit> viaRole = granted.stream().filter(h -> h.principal() == PrincipalTest.ROLE).toList();
            if (!viaRole.isEmpty() && withinBoundary && withinSession) {
                return decided(Decision.ALLOWED, PolicyType.RESOURCE,
                        "allowed by the resource-based policy, which names the caller's role"
                                + exemptions(subject, rcps, context), statements(viaRole), scratch);
            }
            if (identitySide) {
                return decided(Decision.ALLOWED, PolicyType.IDENTITY, "allowed by an identity-based policy"
                        + exemptions(subject, rcps, context), statements(identity), scratch);
            }
            return identityRefusal(subject, identity, viaRole, withinBoundary, scratch);
        }
        if (!identitySide) {
            return identityRefusal(subject, identity, List.of(), withinBoundary, scratch);
        }
        if (granted.isEmpty()) {
            return decided(Decision.IMPLICIT_DENY, PolicyType.RESOURCE, publicAccessBlock != null ? publicAccessBlock
                    : target.policy == null
                            ? "a cross-account request needs a resource-based policy, and none is given"
                            : "the resource-based policy does not allow this cross-account caller",
                    List.of(), scratch);
        }
        List<Hit> both = new ArrayList<>(identity);
        both.addAll(granted);
        return decided(Decision.ALLOWED, PolicyType.RESOURCE,
                "allowed across accounts by an identity-based policy and the resource-based policy"
                        + exemptions(subject, rcps, context), statements(both), scratch);
    }

    /** Collects statements for explaining, in the reference's order. */
    private static final class Context {
        final CallerView caller;
        final boolean hasBoundary;
        final int actionId;
        final String action;
        final EvalScratch scratch;

        Context(CallerView caller, boolean hasBoundary, int actionId, String action, EvalScratch scratch) {
            this.caller = caller;
            this.hasBoundary = hasBoundary;
            this.actionId = actionId;
            this.action = action;
            this.scratch = scratch;
        }

        void collect(PolicyGroup group, Effect effect, List<Hit> out) {
            if (group == null) {
                return;
            }
            PolicyGroup.Plan plan = group.plan(actionId, action);
            boolean principals = group.type.namesPrincipals();
            for (PolicyGroup.Entry entry : effect == Effect.DENY ? plan.denies : plan.allows) {
                int match = applies(entry.statement(), principals, caller, hasBoundary, scratch);
                if (match != PrincipalTest.NONE) {
                    out.add(new Hit(entry, match));
                }
            }
        }
    }

    /**
     * For an allowed request, why guardrails that would have refused it did not bind the caller,
     * or "". Evaluated without recording missing keys: they are not the request's.
     */
    private static String exemptions(Subject subject, PolicyGroup[] rcps, Context context) {
        CallerView caller = context.caller;
        StringBuilder text = new StringBuilder();
        Set<String> missing = context.scratch.missing;
        context.scratch.missing = null;
        try {
            if (!caller.boundBySCPs && wouldRefuse(subject.scps, true, context)) {
                text.append("; the service control policies would refuse it, but they bind only IAM users and roles"
                        + " of member accounts, not ").append(caller.caller.describe());
            }
            if (caller.serviceLinked && wouldRefuse(rcps, false, context)) {
                text.append("; the resource control policies would deny it, but they do not bind service-linked roles");
            }
        } finally {
            context.scratch.missing = missing;
        }
        return text.toString();
    }

    private static boolean wouldRefuse(PolicyGroup[] levels, boolean everyLevelMustAllow, Context context) {
        for (PolicyGroup level : levels) {
            List<Hit> hits = new ArrayList<>();
            context.collect(level, Effect.DENY, hits);
            if (!hits.isEmpty()) {
                return true;
            }
            context.collect(level, Effect.ALLOW, hits);
            if (everyLevelMustAllow && hits.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static Evaluation identityRefusal(Subject subject, List<Hit> identity, List<Hit> viaRole,
            boolean withinBoundary, EvalScratch scratch) {
        if (identity.isEmpty() && viaRole.isEmpty()) {
            return decided(Decision.IMPLICIT_DENY, null, "no identity-based or resource-based policy allows the action",
                    List.of(), scratch);
        }
        if (!withinBoundary) {
            return decided(Decision.IMPLICIT_DENY, PolicyType.BOUNDARY, "the permissions boundary "
                    + subject.boundary.policies[0].source.source() + " does not allow the action", List.of(), scratch);
        }
        List<String> sources = new ArrayList<>();
        for (CompiledPolicy policy : subject.sessions.policies) {
            sources.add(policy.source.source());
        }
        return decided(Decision.IMPLICIT_DENY, PolicyType.SESSION, "no session policy (" + String.join(", ", sources)
                + ") allows the action", List.of(), scratch);
    }

    private static Evaluation decided(Decision decision, PolicyType decidedBy, String reason,
            List<MatchedStatement> statements, EvalScratch scratch) {
        return new Evaluation(decision, new Explanation(decidedBy, reason, statements, List.copyOf(scratch.missing)));
    }

    private static List<MatchedStatement> statements(List<Hit> hits) {
        return hits.stream().map(h -> h.entry().matched()).toList();
    }
}
