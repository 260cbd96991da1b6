package dev.gavel.policy;

import java.util.List;

/**
 * A {@code Principal} or {@code NotPrincipal} element: either the bare {@code "*"} (everyone,
 * anonymous callers included) or a list of named principals.
 */
public record PrincipalElement(boolean negated, boolean anyone, List<PrincipalId> ids, SourceLocation location) {

    public PrincipalElement {
        ids = List.copyOf(ids);
    }
}
