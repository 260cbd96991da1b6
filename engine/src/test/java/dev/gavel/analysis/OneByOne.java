package dev.gavel.analysis;

import dev.gavel.Answer;
import dev.gavel.Engine;
import dev.gavel.directory.Account;
import dev.gavel.directory.RequestException;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import dev.gavel.eval.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What who-can must equal: every user and a session of every role of the engine's directory,
 * checked one at a time through {@link Engine#check}, which resolves the principal afresh each
 * time and shares nothing with who-can's prepared principals.
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
     * As {@link #allowed}, with the principals that reach an allowed role by assuming roles, one
     * {@code sts:AssumeRole} check at a time, up to {@code steps} roles in a row.
     */
    public static List<String> reachable(Engine engine, String action, String resource, RequestContext context,
            int steps) throws RequestException {
        Set<String> reached = new TreeSet<>(allowed(engine, action, resource, context));
        List<String> frontier = reached.stream().filter(p -> p.startsWith("role ")).toList();
        for (int step = 1; step <= steps; step++) {
            List<String> next = new ArrayList<>();
            for (String role : frontier) {
                for (String assumer : allowed(engine, "sts:AssumeRole", role.substring("role ".length()), context)) {
                    if (reached.add(assumer) && assumer.startsWith("role ")) {
                        next.add(assumer);
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

    private static boolean decided(Answer answer) {
        if (answer.failed()) {
            throw new IllegalStateException("a check failed closed: " + answer);
        }
        return answer.allowed();
    }
}
