package dev.gavel.analysis;

import dev.gavel.eval.MatchedStatement;
import java.util.List;

/**
 * A principal outside the directory that the resource's policy (or the role's trust policy)
 * allows, with the policy's denies and the resource account's RCPs applied.
 *
 * @param named what the policy names, as written: an account id or root ARN, an ARN, a service,
 *     a provider, {@code *}
 * @param statements the statements of the resource side that decided
 * @param needsOwnIdentityPolicies true when the principal belongs to an account: AWS then also
 *     asks that account's identity policies (and its SCPs), which the directory does not hold, so
 *     the entry means "allowed if its own account allows it too"
 */
public record OutsideGrant(OutsideKind kind, String named, Verdict verdict, List<MatchedStatement> statements,
        boolean needsOwnIdentityPolicies) {

    public OutsideGrant {
        statements = List.copyOf(statements);
    }
}
