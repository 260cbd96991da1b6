package dev.gavel.eval;

import dev.gavel.eval.ReferenceEvaluator.PrincipalMatch;
import dev.gavel.policy.Condition;
import dev.gavel.policy.Effect;
import dev.gavel.policy.PatternElement;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Three-valued evaluation: decides a request whose context keys may be unknown
 * ({@link KeyKnowledge}), with the reference evaluator's logic, step for step. Each statement
 * applies under a residual: its tests on known keys evaluated, those on unknown keys kept as
 * clauses. Then, as {@link ReferenceEvaluator} combines statements:
 * <ul>
 *   <li>explicitly denied when some Deny statement applies (the OR of their residuals), and
 *       allowed only when none does (the negation);
 *   <li>each layer that must allow (every SCP level, the endpoint policy, the resource policy where
 *       it is required, the boundary, the session policies, the identity or resource side)
 *       contributes the OR of its allowing statements' residuals, and the layers combine with
 *       AND and OR as the reference's steps do.
 * </ul>
 * When no unknown key matters the answer is the reference evaluator's, explanation included.
 */
public final class ConditionalEvaluator {

    private final ReferenceEvaluator reference = new ReferenceEvaluator();

    /** A statement that applies under {@code when}, and how its Principal matched the caller. */
    private record Grant(MatchedStatement statement, PrincipalMatch principal, Residual when) {}

    /** What every statement is matched against. */
    private record Scope(Request request, Caller caller, boolean hasBoundary, KeyKnowledge knowledge) {}

    /** When the request is allowed, and when it is explicitly denied. */
    private record Residuals(Residual allowed, Residual explicitDeny) {}

    /** Decides one request against its policies, with the keys the knowledge says are unknown left open. */
    public ConditionalEvaluation evaluate(Request request, PolicySet policies, KeyKnowledge knowledge) {
        Residuals residuals = residuals(request, policies, knowledge);
        Residual allowed = residuals.allowed();
        Residual explicitDeny = residuals.explicitDeny();
        Verdict definite = explicitDeny.isTrue() ? Verdict.EXPLICIT_DENY
                : !explicitDeny.isFalse() ? null
                : allowed.isTrue() ? Verdict.ALLOWED
                : allowed.isFalse() ? Verdict.IMPLICIT_DENY : null;
        if (definite != null) {
            // No unknown key matters, so leaving them all absent gives the one answer.
            Evaluation evaluation = reference.evaluate(request, policies);
            if (Verdict.of(evaluation.decision()) != definite) {
                throw new IllegalStateException("three-valued evaluation answered " + definite
                        + " where the reference evaluator answers " + evaluation.decision());
            }
            return new ConditionalEvaluation(definite, allowed, explicitDeny, evaluation.explanation());
        }
        if (allowed.isFalse()) {
            return new ConditionalEvaluation(Verdict.IMPLICIT_DENY, allowed, explicitDeny, explanation(
                    "never allowed, whatever the unknown context keys are; explicitly denied when " + explicitDeny,
                    explicitDeny, request, knowledge));
        }
        return new ConditionalEvaluation(Verdict.CONDITIONAL, allowed, explicitDeny,
                explanation("allowed only when " + allowed, allowed, request, knowledge));
    }

    private static Explanation explanation(String reason, Residual residual, Request request, KeyKnowledge knowledge) {
        List<Clause> clauses = residual.clauses();
        Set<String> unknown = new LinkedHashSet<>();
        for (Clause clause : clauses) {
            clause.keys().stream().filter(key -> knowledge.isUnknown(key, request.context())).forEach(unknown::add);
        }
        return new Explanation(null, reason, clauses.stream().map(Clause::statement).distinct().toList(),
                List.copyOf(unknown));
    }

    private static Residuals residuals(Request request, PolicySet policies, KeyKnowledge knowledge) {
        Caller caller = Caller.parse(request.principal(), request.context());
        Scope scope = new Scope(request, caller, policies.permissionBoundary() != null, knowledge);
        if (request.action().equalsIgnoreCase("sts:GetCallerIdentity")) {
            return new Residuals(Residual.TRUE, Residual.FALSE);
        }
        List<List<Policy>> scps = caller.boundBySCPs() ? policies.scps() : List.of();
        List<List<Policy>> rcps = caller.serviceLinked() ? List.of() : policies.rcps();
        String resourceAccount = ReferenceEvaluator.resourceAccount(request, caller);

        List<Grant> denies = new ArrayList<>();
        for (int level = 0; level < scps.size(); level++) {
            collect(scps.get(level), PolicyType.SCP, level, Effect.DENY, scope, denies);
        }
        for (int level = 0; level < rcps.size(); level++) {
            collect(rcps.get(level), PolicyType.RCP, level, Effect.DENY, scope, denies);
        }
        collect(policies.identityPolicies(), PolicyType.IDENTITY, -1, Effect.DENY, scope, denies);
        collect(listOf(policies.permissionBoundary()), PolicyType.BOUNDARY, -1, Effect.DENY, scope, denies);
        collect(policies.sessionPolicies(), PolicyType.SESSION, -1, Effect.DENY, scope, denies);
        collect(listOf(policies.endpointPolicy()), PolicyType.ENDPOINT, -1, Effect.DENY, scope, denies);
        collect(listOf(policies.resourcePolicy()), PolicyType.RESOURCE, -1, Effect.DENY, scope, denies);
        Residual explicitDeny = any(denies);

        // Each Deny contributes the negation that escapes it.
        List<Residual> allowed = new ArrayList<>();
        denies.forEach(deny -> allowed.add(Residual.not(deny.when())));
        if (ReservedResources.refusal(request.action(), request.resource(), caller.serviceLinked()) != null) {
            return new Residuals(Residual.FALSE, explicitDeny);
        }
        for (int level = 0; level < scps.size(); level++) {
            allowed.add(any(grants(scps.get(level), PolicyType.SCP, level, scope)));
        }
        if (policies.endpointPolicy() != null) {
            allowed.add(any(grants(listOf(policies.endpointPolicy()), PolicyType.ENDPOINT, -1, scope)));
        }
        Residual identity = any(grants(policies.identityPolicies(), PolicyType.IDENTITY, -1, scope));
        Residual boundary = policies.permissionBoundary() == null ? Residual.TRUE
                : any(grants(listOf(policies.permissionBoundary()), PolicyType.BOUNDARY, -1, scope));
        Residual session = policies.sessionPolicies().isEmpty() ? Residual.TRUE
                : any(grants(policies.sessionPolicies(), PolicyType.SESSION, -1, scope));
        // RestrictPublicBuckets takes every grant of a public bucket policy from these callers.
        List<Grant> resource = policies.resourcePolicy() == null
                || ReferenceEvaluator.restrictedPublicGrant(policies, caller, resourceAccount) ? List.of()
                : grants(listOf(policies.resourcePolicy()), PolicyType.RESOURCE, -1, scope);
        Residual anyResource = any(resource);

        if (ReferenceEvaluator.requiredResourcePolicy(request) != null) {
            allowed.add(anyResource);
        }
        Residual identitySide = Residual.and(identity, boundary, session);
        if (caller.account() == null) {
            allowed.add(anyResource);
        } else if (caller.account().equals(resourceAccount)) {
            Residual direct = any(resource.stream().filter(grant -> grant.principal() == PrincipalMatch.CALLER
                    || grant.principal() == PrincipalMatch.ANYONE).toList());
            Residual viaRole = any(resource.stream().filter(grant -> grant.principal() == PrincipalMatch.ROLE)
                    .toList());
            allowed.add(Residual.or(direct, Residual.and(viaRole, boundary, session), identitySide));
        } else {
            allowed.add(Residual.and(identitySide, anyResource));
        }
        return new Residuals(Residual.and(allowed), explicitDeny);
    }

    private static List<Policy> listOf(Policy policy) {
        return policy == null ? List.of() : List.of(policy);
    }

    private static Residual any(List<Grant> grants) {
        return Residual.or(grants.stream().map(Grant::when).toList());
    }

    private static List<Grant> grants(List<Policy> policies, PolicyType type, int level, Scope scope) {
        List<Grant> grants = new ArrayList<>();
        collect(policies, type, level, Effect.ALLOW, scope, grants);
        return grants;
    }

    private static void collect(List<Policy> policies, PolicyType type, int level, Effect effect, Scope scope,
            List<Grant> out) {
        for (Policy policy : policies) {
            for (Statement statement : policy.statements()) {
                if (statement.effect() == effect) {
                    Grant grant = match(statement, policy, type, level, scope);
                    if (grant != null) {
                        out.add(grant);
                    }
                }
            }
        }
    }

    /** The statement's grant when it may apply to the request, else null. */
    private static Grant match(Statement statement, Policy policy, PolicyType type, int level, Scope scope) {
        Request request = scope.request();
        if (!ReferenceEvaluator.actionMatches(statement.action(), request.action())) {
            return null;
        }
        MatchedStatement at = new MatchedStatement(type, level, policy.source(), statement.label(),
                statement.effect(), statement.location());
        List<Residual> tests = new ArrayList<>();
        tests.add(resource(statement.resource(), policy, type, at, scope));
        PrincipalMatch principal = PrincipalMatch.ANYONE;
        if (type.namesPrincipals()) {
            principal = ReferenceEvaluator.principalMatch(statement, scope.caller(), scope.hasBoundary());
            if (principal == PrincipalMatch.NONE) {
                return null;
            }
        }
        for (Condition condition : statement.conditions()) {
            tests.add(condition(condition, policy, at, scope));
        }
        Residual when = Residual.and(tests);
        return when.isFalse() ? null : new Grant(at, principal, when);
    }

    private static Residual resource(PatternElement element, Policy policy, PolicyType type, MatchedStatement at,
            Scope scope) {
        Request request = scope.request();
        if (element != null) {
            ResourceClause clause = new ResourceClause(element, policy.version(), request.resource(), at);
            if (readsUnknown(clause, scope)) {
                // A pattern on known keys alone that matches decides the element whatever the others.
                for (PolicyString pattern : element.patterns()) {
                    boolean known = Variables.keys(pattern.value(), policy.version()).stream()
                            .noneMatch(key -> scope.knowledge().isUnknown(key, request.context()));
                    if (known && ReferenceEvaluator.resourceMatches(new PatternElement(false, List.of(pattern),
                            element.location()), type, policy.version(), request.resource(), request.context())) {
                        return Residual.of(!element.negated());
                    }
                }
                return clause;
            }
        }
        return Residual.of(ReferenceEvaluator.resourceMatches(element, type, policy.version(), request.resource(),
                request.context()));
    }

    private static Residual condition(Condition condition, Policy policy, MatchedStatement at, Scope scope) {
        ConditionClause clause = new ConditionClause(condition, policy.version(), at);
        return readsUnknown(clause, scope) ? clause : Residual.of(clause.holds(scope.request().context()));
    }

    private static boolean readsUnknown(Clause clause, Scope scope) {
        return clause.keys().stream().anyMatch(key -> scope.knowledge().isUnknown(key, scope.request().context()));
    }
}
