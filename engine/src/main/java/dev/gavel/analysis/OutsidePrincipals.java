package dev.gavel.analysis;

import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.ConditionalEvaluator;
import dev.gavel.eval.KeyKnowledge;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.PolicySet;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.match.Arn;
import dev.gavel.policy.Effect;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PrincipalId;
import dev.gavel.policy.PrincipalKind;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The principals outside the directory that a resource's policy, or for the STS actions a trust
 * policy governs a role's trust policy, allows. Each principal that an Allow statement names is
 * analysed three-valued ({@link ConditionalEvaluator}) as a caller of its own: the resource side
 * exactly (the policy's denies, the resource account's RCPs, Block Public Access), and, for a
 * principal of an account, its own account's side stood in for by a policy that allows
 * everything, since the directory does not hold that account's policies (the entry says so).
 * Keys the question does not give are unknown, and so are the principal's own keys that its name
 * does not tell ({@code aws:PrincipalOrgID}, its tags, its session's): a principal allowed only
 * for some of their values is listed {@code conditional} on them.
 */
final class OutsidePrincipals {

    /** What the outside principals of one action came to. */
    record Found(List<OutsideGrant> grants, List<String> notHeld) {}

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final String STAND_IN_SOURCE = "its own account's identity policies (not in the directory)";
    private static final Policy STAND_IN = PolicyParser.parse(STAND_IN_SOURCE,
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}")
            .policy();

    private final Directory directory;
    private final Authorizer authorizer;
    /** Keys Gavel fills that are known for every outside caller: the clock's and the resource account's. */
    private static final List<String> KNOWN_FOR_ANYONE = List.of("aws:CurrentTime", "aws:EpochTime",
            "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths");

    private final ConditionalEvaluator evaluator = new ConditionalEvaluator();

    OutsidePrincipals(Directory directory, Authorizer authorizer) {
        this.directory = directory;
        this.authorizer = authorizer;
    }

    /** A principal a policy names, classified, with the caller that stands for it; caller null when held. */
    private record Named(OutsideKind kind, String named, String caller, String roleArn, String notHeld) {}

    Found find(String action, String resource, RequestContext context) throws RequestException {
        Policy policy = ResourceSide.policy(directory, action, resource);
        if (policy == null) {
            return new Found(List.of(), List.of());
        }
        Authorizer.Prepared anonymous = authorizer.prepareAnonymous(action, resource, context);
        PolicySet resourceSide = anonymous.policies();
        Map<String, Named> named = new LinkedHashMap<>();
        for (Statement statement : policy.statements()) {
            if (statement.effect() != Effect.ALLOW || statement.principal() == null
                    || statement.principal().negated()) {
                continue;
            }
            if (statement.principal().anyone()) {
                named.putIfAbsent("*", new Named(OutsideKind.EVERYONE, "*", Authorizer.ANONYMOUS, null, null));
            }
            for (PrincipalId id : statement.principal().ids()) {
                named.computeIfAbsent(id.kind() + " " + id.value(), key -> classify(id));
            }
        }
        List<OutsideGrant> grants = new ArrayList<>();
        List<String> notHeld = new ArrayList<>();
        for (Named principal : named.values()) {
            if (principal.notHeld() != null) {
                notHeld.add(principal.notHeld());
            }
            if (principal.caller() == null) {
                continue;
            }
            boolean ownSide = principal.kind() == OutsideKind.ACCOUNT || principal.kind() == OutsideKind.USER
                    || principal.kind() == OutsideKind.ROLE || principal.kind() == OutsideKind.ROLE_SESSION;
            PolicySet policies = PolicySet.builder().identityPolicies(ownSide ? List.of(STAND_IN) : List.of())
                    .resourcePolicy(policy).rcps(resourceSide.rcps())
                    .restrictPublicBuckets(resourceSide.restrictPublicBuckets()).build();
            Request request = new Request(principal.caller(), action, resource,
                    anonymous.request().resourceAccount(), facts(anonymous.request().context(), principal));
            ConditionalEvaluation evaluation = evaluator.evaluate(request, policies, knowledge(principal.kind()));
            Verdict verdict = Verdict.of(evaluation.verdict());
            if (verdict != null) {
                List<MatchedStatement> statements = evaluation.explanation().statements().stream()
                        .filter(s -> s.policyType() != PolicyType.IDENTITY).toList();
                grants.add(new OutsideGrant(principal.kind(), principal.named(), verdict, statements, ownSide,
                        verdict == Verdict.CONDITIONAL ? evaluation.allowedWhen() : null));
            }
        }
        return new Found(grants, notHeld);
    }

    /**
     * What is unknown of an outside caller's request: every key the question does not give, but
     * the clock's and the resource account's, and for a service the principal keys, which AWS
     * fills for services only with those {@link #facts} puts.
     */
    private static KeyKnowledge knowledge(OutsideKind kind) {
        KeyKnowledge knowledge = KeyKnowledge.unknownContext().withKnown(KNOWN_FOR_ANYONE);
        return kind == OutsideKind.SERVICE ? knowledge.withKnown(Authorizer.filledKeyPatterns()) : knowledge;
    }

    private Named classify(PrincipalId id) {
        String value = id.value();
        if (id.kind() == PrincipalKind.SERVICE) {
            return new Named(OutsideKind.SERVICE, value, value, null, null);
        }
        if (id.kind() == PrincipalKind.FEDERATED) {
            boolean known = directory.samlProvider(value) != null || directory.oidcProvider(value) != null;
            return new Named(OutsideKind.FEDERATED, value, value, null,
                    known || !value.startsWith("arn:") ? null : value + " (identity provider)");
        }
        if (id.kind() == PrincipalKind.CANONICAL_USER) {
            return new Named(OutsideKind.CANONICAL_USER, value, null, null,
                    value + " (canonical user: not decided, Gavel does not map canonical ids to accounts)");
        }
        if (value.equals("*")) {
            return new Named(OutsideKind.EVERYONE, "*", Authorizer.ANONYMOUS, null, null);
        }
        if (ACCOUNT_ID.matcher(value).matches()) {
            return account(value, value);
        }
        Arn arn = Arn.parse(value);
        if (arn == null || value.indexOf('*') >= 0) {
            return new Named(OutsideKind.ACCOUNT, value, null, null, value + " (not an account or principal ARN)");
        }
        boolean accountHeld = directory.account(arn.account()) != null;
        String resourcePart = arn.resource();
        if (arn.service().equals("iam") && resourcePart.equals("root")) {
            return account(value, arn.account());
        }
        if (arn.service().equals("iam") && resourcePart.startsWith("user/")) {
            return principal(OutsideKind.USER, value, value, null, directory.user(value) != null, accountHeld, "user");
        }
        if (arn.service().equals("iam") && resourcePart.startsWith("role/")) {
            String name = resourcePart.substring(resourcePart.lastIndexOf('/') + 1);
            String session = "arn:" + arn.partition() + ":sts::" + arn.account() + ":assumed-role/" + name + "/"
                    + WhoCan.SESSION_NAME;
            return principal(OutsideKind.ROLE, value, session, value, directory.role(value) != null, accountHeld,
                    "role");
        }
        if (arn.service().equals("sts") && resourcePart.startsWith("assumed-role/")) {
            String[] parts = resourcePart.split("/");
            boolean roleHeld = accountHeld && parts.length == 3
                    && directory.account(arn.account()).role(parts[1]) != null;
            return principal(OutsideKind.ROLE_SESSION, value, value, null, roleHeld, accountHeld, "role session");
        }
        return new Named(OutsideKind.ACCOUNT, value, null, null, value + " (not an account or principal ARN)");
    }

    private Named account(String named, String accountId) {
        boolean held = directory.account(accountId) != null;
        return new Named(OutsideKind.ACCOUNT, named, held ? null : "arn:aws:iam::" + accountId + ":root", null,
                held ? null : "account " + accountId);
    }

    /**
     * A user, role or session ARN: held ones were decided with the directory's principals; one
     * missing from an account the directory holds does not exist, and is only reported.
     */
    private static Named principal(OutsideKind kind, String named, String caller, String roleArn, boolean held,
            boolean accountHeld, String what) {
        if (held) {
            return new Named(kind, named, null, null, null);
        }
        if (accountHeld) {
            return new Named(kind, named, null, null, named + " (" + what + " missing from an account the directory "
                    + "holds: no such principal can act)");
        }
        return new Named(kind, named, caller, roleArn, named + " (" + what + ")");
    }

    /** The request's facts with the principal's own, as far as its name tells them. */
    private static RequestContext facts(RequestContext request, Named principal) {
        RequestContext.Builder context = request.toBuilder();
        switch (principal.kind()) {
            case SERVICE -> {
                context.put("aws:PrincipalIsAWSService", "true");
                context.put("aws:PrincipalServiceName", principal.named());
            }
            case ACCOUNT, USER, ROLE, ROLE_SESSION -> {
                Arn arn = Arn.parse(principal.caller());
                context.put("aws:PrincipalIsAWSService", "false");
                context.put("aws:PrincipalAccount", arn.account());
                context.put("aws:PrincipalArn", principal.roleArn() != null ? principal.roleArn() : principal.caller());
            }
            default -> { }
        }
        return context.build();
    }
}
