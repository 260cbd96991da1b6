package dev.gavel.policy;

import java.util.List;

/**
 * One statement of a policy. Absent elements are null; {@code conditions} is empty when there is
 * no {@code Condition} block. {@code index} is the statement's place in the policy, from 0.
 * {@code effect} is null only in a policy whose parse reported an error, which is never evaluated.
 */
public record Statement(
        int index,
        PolicyString sid,
        Effect effect,
        PatternElement action,
        PatternElement resource,
        PrincipalElement principal,
        List<Condition> conditions,
        SourceLocation location) {

    public Statement {
        conditions = List.copyOf(conditions);
    }

    /** The Sid if there is one, otherwise {@code #index} — how explanations name a statement. */
    public String label() {
        return sid != null ? sid.value() : "#" + index;
    }
}
