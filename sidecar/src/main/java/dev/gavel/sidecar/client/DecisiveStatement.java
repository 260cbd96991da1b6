package dev.gavel.sidecar.client;

/**
 * A statement that decided a check, as an explaining check reports it.
 *
 * @param policyType identity, resource, trust, boundary, session, scp, rcp or endpoint
 * @param effect Allow or Deny
 * @param level the organization level (0 = root) of an SCP or RCP, otherwise -1
 * @param policy the policy's ARN or name
 * @param statement the statement's Sid, or {@code #index}
 * @param line 1-based; 0 for a policy built in code
 */
public record DecisiveStatement(String policyType, String effect, int level, String policy, String statement, int line,
        int column) {

    @Override
    public String toString() {
        return policyType + " policy " + policy + " statement " + statement + (line > 0 ? " at " + line + ":" + column : "");
    }
}
