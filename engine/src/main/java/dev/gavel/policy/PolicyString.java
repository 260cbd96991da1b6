package dev.gavel.policy;

/** A string of a policy (an action, a resource, a Sid) with where it was written. */
public record PolicyString(String value, SourceLocation location) {

    public static PolicyString of(String value) {
        return new PolicyString(value, SourceLocation.NONE);
    }
}
