package dev.gavel.analysis;

import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.Residual;
import java.util.List;

/**
 * A principal outside the directory that the resource's policy (or the role's trust policy)
 * allows, with the policy's denies and the resource account's RCPs applied.
 *
 * @param named what the policy names, as written: an account id or root ARN, an ARN, a service,
 *     a provider, {@code *}
 * @param verdict {@code allowed}, or {@code conditional}: allowed only when {@code condition} holds
 * @param statements the statements of the resource side that decided; for a conditional entry,
 *     those its condition's tests come from
 * @param needsOwnIdentityPolicies true when the principal belongs to an account: AWS then also
 *     asks that account's identity policies (and its SCPs), which the directory does not hold, so
 *     the entry means "allowed if its own account allows it too"
 * @param condition for a conditional entry, what must hold of the keys the question does not give
 *     (the principal's own, such as {@code aws:PrincipalOrgID}, included) for the resource side to
 *     allow; null for an allowed one
 */
public record OutsideGrant(OutsideKind kind, String named, Verdict verdict, List<MatchedStatement> statements,
        boolean needsOwnIdentityPolicies, Residual condition) {

    public OutsideGrant {
        if ((verdict == Verdict.CONDITIONAL) != (condition != null)) {
            throw new IllegalArgumentException("a conditional entry has a condition, an allowed one none");
        }
        statements = List.copyOf(statements);
    }
}
