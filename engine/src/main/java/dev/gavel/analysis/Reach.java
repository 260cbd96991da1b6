package dev.gavel.analysis;

import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.Residual;
import java.util.List;

/**
 * One action a principal may perform on the resources a pattern matches.
 *
 * @param action the action, as the service catalog spells it (or as the policy wrote it, for a
 *     service the catalog does not hold)
 * @param accessLevel the action's access level, inferred from its verb ({@link AccessLevel#of})
 * @param resource the resource pattern, as the granting statement writes it, narrowed to what a
 *     permissions boundary or SCP allows, or to the question's resource
 * @param verdict {@code allowed}, or {@code conditional}: allowed only when {@code condition} holds
 * @param condition for a conditional entry, what must hold of the unknown keys; null for an allowed one
 * @param statements the statements that grant it: identity-based ones, and those of a resource's
 *     or role's trust policy that name the principal; for a conditional entry, those its
 *     condition's tests come from
 * @param excluded the narrower resources within the pattern that a Deny takes away
 */
public record Reach(String action, AccessLevel accessLevel, String resource, Verdict verdict, Residual condition,
        List<MatchedStatement> statements, List<Excluded> excluded) {

    public Reach {
        if ((verdict == Verdict.CONDITIONAL) != (condition != null)) {
            throw new IllegalArgumentException("a conditional entry has a condition, an allowed one none");
        }
        statements = List.copyOf(statements);
        excluded = List.copyOf(excluded);
    }

    /** The action's service prefix, such as {@code s3}. */
    public String service() {
        return action.substring(0, action.indexOf(':'));
    }

    /**
     * Resources within a {@link Reach}'s pattern that are taken away: by a Deny statement (those of
     * its pattern, or, when the Deny has conditions, those of its pattern when its conditions
     * hold), or by a rule of AWS's own that no policy overrides.
     *
     * @param statement the Deny statement, or null for AWS's rule
     * @param rule for AWS's own rule, what it is; null for a statement
     */
    public record Excluded(String resource, MatchedStatement statement, boolean conditional, String rule) {

        /** Why the resources are taken away, as text output shows it. */
        public String why() {
            return statement != null ? statement.describe() : rule;
        }
    }
}
