package dev.gavel;

/**
 * How far a principal's own policies leave an action open, whatever the resource and the
 * request's context: what lets a question about many principals skip most of them unchecked.
 */
public enum ActionReach {
    /** Its SCPs allow the action nowhere: no policy can allow it. */
    BLOCKED,
    /**
     * Its identity-based policies (or its permissions boundary) allow the action nowhere: only a
     * resource-based or trust policy's grant naming it can allow it.
     */
    RESOURCE_POLICY_ONLY,
    /** Its identity-based policies may allow the action, within its boundary and SCPs. */
    OPEN
}
