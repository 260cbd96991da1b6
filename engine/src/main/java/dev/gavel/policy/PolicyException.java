package dev.gavel.policy;

import java.util.List;

/** Thrown when a policy that has errors is asked for; the message is the first error. */
public final class PolicyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Finding> errors;

    public PolicyException(List<Finding> errors) {
        super(errors.isEmpty() ? "invalid policy" : errors.get(0).format());
        this.errors = List.copyOf(errors);
    }

    /** Every error the policy has, in source order. */
    public List<Finding> errors() {
        return errors;
    }
}
