package dev.gavel.analysis;

import dev.gavel.Answer;
import dev.gavel.Engine;
import dev.gavel.directory.Account;
import dev.gavel.directory.RequestException;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.Residual;
import dev.gavel.Principal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What who-can must equal: every user and a session of every role of the engine's directory,
 * checked one at a time through {@link Engine#check}, or analysed one at a time through
 * {@link Engine#analyse}, which resolve the principal afresh each time and share nothing with
 * who-can's prepared principals.
 */
public final class OneByOne {

    private OneByOne() {}

    /** "user ARN" or "role ARN" for each principal allowed, sorted. */
    public static List<String> allowed(Engine engine, String action, String resource, RequestContext context)
            throws RequestException {
        List<String> allowed = new ArrayList<>();
        for (Account account : engine.directory().accounts()) {
            for (User user : account.users().values()) {
                if (decided(engine.check(user.arn(), action, resource, context))) {
                    allowed.add("user " + user.arn());
                }
            }
            for (Role role : account.allRoles()) {
                String session = "arn:aws:sts::" + account.id() + ":assumed-role/" + role.name() + "/"
                        + WhoCan.SESSION_NAME;
                if (decided(engine.check(session, action, resource, context))) {
                    allowed.add("role " + role.arn());
                }
            }
        }
        return allowed.stream().sorted().toList();
    }

    /**
     * Every user and role (any session of it) that {@link Engine#analyse}, with the knowledge
     * who-can takes ({@link WhoCan#knowledge}), allows for some value of the unknown keys, as "user
     * ARN" or "role ARN", with the condition under which it is allowed ({@code true} when always).
     */
    public static Map<String, Residual> analysed(Engine engine, String action, String resource,
            RequestContext context) throws RequestException {
        Map<String, Residual> allowed = new TreeMap<>();
        for (Account account : engine.directory().accounts()) {
            for (User user : account.users().values()) {
                put(allowed, "user " + user.arn(), engine.analyse(engine.principal(user.arn()), action, resource,
                        context, WhoCan.knowledge(PrincipalType.USER), null));
            }
            for (Role role : account.allRoles()) {
                String session = "arn:aws:sts::" + account.id() + ":assumed-role/" + role.name() + "/"
                        + WhoCan.SESSION_NAME;
                put(allowed, "role " + role.arn(), engine.analyse(engine.principal(session), action, resource,
                        context, WhoCan.knowledge(PrincipalType.ROLE), null));
            }
        }
        return allowed;
    }

    private static void put(Map<String, Residual> allowed, String principal, ConditionalEvaluation evaluation) {
        if (!evaluation.allowedWhen().isFalse()) {
            allowed.put(principal, evaluation.allowedWhen());
        }
    }

    /**
     * Where a principal is first reached: the number of roles it assumes on its shortest chains,
     * and the condition of each of those chains (the AND of its steps', {@code true} when always).
     */
    public record Reach(int roles, Set<Residual> conditions) {}

    /**
     * The principals {@link #analysed} lists, and those that reach a role it lists by assuming
     * roles, each step an {@code sts:AssumeRole} that {@link Engine#analyse} allows for some value
     * of the unknown keys, up to {@code steps} roles in a row; each principal at its shortest
     * chains, so one allowed under a condition itself is not also reached. By "user ARN" or
     * "role ARN", sorted.
     */
    public static Map<String, Reach> reachable(Engine engine, String action, String resource,
            RequestContext context, int steps) throws RequestException {
        Map<String, Reach> reached = new TreeMap<>();
        Map<String, Set<Residual>> frontier = new TreeMap<>();
        analysed(engine, action, resource, context).forEach((principal, condition) -> {
            reached.put(principal, new Reach(0, Set.of(condition)));
            if (principal.startsWith("role ")) {
                frontier.put(principal, Set.of(condition));
            }
        });
        for (int step = 1; step <= steps && !frontier.isEmpty(); step++) {
            Map<String, Set<Residual>> next = new TreeMap<>();
            for (Map.Entry<String, Set<Residual>> role : frontier.entrySet()) {
                Map<String, Residual> assumers = analysed(engine, "sts:AssumeRole",
                        role.getKey().substring("role ".length()), context);
                for (Map.Entry<String, Residual> assumer : assumers.entrySet()) {
                    if (reached.containsKey(assumer.getKey())) {
                        continue;
                    }
                    for (Residual rest : role.getValue()) {
                        Residual chain = Residual.and(assumer.getValue(), rest);
                        if (!chain.isFalse()) {
                            next.computeIfAbsent(assumer.getKey(), key -> new HashSet<>()).add(chain);
                        }
                    }
                }
            }
            int roles = step;
            next.forEach((principal, conditions) -> reached.put(principal, new Reach(roles, conditions)));
            frontier.clear();
            next.forEach((principal, conditions) -> {
                if (principal.startsWith("role ")) {
                    frontier.put(principal, conditions);
                }
            });
        }
        return reached;
    }

    /**
     * The condition of each step of a chained entry, analysed one at a time: its principal's
     * {@code sts:AssumeRole} on the first role, each role's (a session of it) on the next, then the
     * last role's request.
     */
    public static List<Residual> steps(Engine engine, Grant chained, String action, String resource,
            RequestContext context) throws RequestException {
        List<Residual> steps = new ArrayList<>();
        Principal caller = engine.principal(chained.type() == PrincipalType.USER ? chained.arn()
                : session(engine, chained.arn()));
        PrincipalType type = chained.type();
        for (String role : chained.via()) {
            steps.add(engine.analyse(caller, "sts:AssumeRole", role, context, WhoCan.knowledge(type), null)
                    .allowedWhen());
            caller = engine.principal(session(engine, role));
            type = PrincipalType.ROLE;
        }
        steps.add(engine.analyse(caller, action, resource, context, WhoCan.knowledge(type), null).allowedWhen());
        return steps;
    }

    private static String session(Engine engine, String roleArn) {
        Role role = engine.directory().role(roleArn);
        return "arn:aws:sts::" + role.accountId() + ":assumed-role/" + role.name() + "/" + WhoCan.SESSION_NAME;
    }

    /** Who-can's principals for the action, in the same form, sorted. */
    public static List<String> listed(ActionAnswer answer) {
        return answer.principals().stream().map(g -> g.type().jsonName() + " " + g.arn()).sorted().toList();
    }

    /**
     * Who-can's principals that may perform the action themselves (no roles assumed), in the form
     * of {@link #analysed}: the condition of a conditional entry, {@code true} for an allowed one.
     */
    public static Map<String, Residual> direct(ActionAnswer answer) {
        Map<String, Residual> direct = new TreeMap<>();
        for (Grant grant : answer.principals()) {
            if (grant.via().isEmpty()) {
                direct.put(grant.type().jsonName() + " " + grant.arn(),
                        grant.verdict() == Verdict.ALLOWED ? Residual.TRUE : grant.condition());
            }
        }
        return direct;
    }

    private static boolean decided(Answer answer) {
        if (answer.failed()) {
            throw new IllegalStateException("a check failed closed: " + answer);
        }
        return answer.allowed();
    }
}
