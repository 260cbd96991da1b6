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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
     * The principals {@link #analysed} lists, and those that reach a role it allows (always, not
     * under a condition) by assuming roles, each step an {@code sts:AssumeRole} that
     * {@link Engine#analyse} always allows, up to {@code steps} roles in a row; each principal
     * once, so one allowed under a condition itself is not also reached.
     */
    public static List<String> reachable(Engine engine, String action, String resource, RequestContext context,
            int steps) throws RequestException {
        Map<String, Residual> direct = analysed(engine, action, resource, context);
        Set<String> reached = new TreeSet<>(direct.keySet());
        List<String> frontier = direct.entrySet().stream()
                .filter(e -> e.getKey().startsWith("role ") && e.getValue().isTrue()).map(Map.Entry::getKey).toList();
        for (int step = 1; step <= steps; step++) {
            List<String> next = new ArrayList<>();
            for (String role : frontier) {
                Map<String, Residual> assumers = analysed(engine, "sts:AssumeRole", role.substring("role ".length()),
                        context);
                for (Map.Entry<String, Residual> assumer : assumers.entrySet()) {
                    if (assumer.getValue().isTrue() && reached.add(assumer.getKey())
                            && assumer.getKey().startsWith("role ")) {
                        next.add(assumer.getKey());
                    }
                }
            }
            frontier = next;
        }
        return List.copyOf(reached);
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
