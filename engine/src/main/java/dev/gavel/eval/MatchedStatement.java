package dev.gavel.eval;

import dev.gavel.policy.Effect;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.SourceLocation;

/**
 * A statement that applied to a request: which policy it belongs to, its Sid (or index) and
 * where it was written.
 *
 * @param level the organization level (0 = root) for SCPs and RCPs, otherwise -1
 */
public record MatchedStatement(PolicyType policyType, int level, String policy, String statement, Effect effect,
        SourceLocation location) {

    /** {@code policy statement (line:column)}, how text output shows it. */
    public String describe() {
        String where = location.line() > 0 ? " at " + location.line() + ":" + location.column() : "";
        String levelText = level >= 0 ? " level " + level : "";
        return policyType + levelText + " policy " + policy + " statement " + statement + where;
    }
}
