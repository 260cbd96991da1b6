package dev.gavel.policy;

import java.util.List;

/**
 * An {@code Action}, {@code NotAction}, {@code Resource} or {@code NotResource} element: the
 * patterns it lists and whether it is the negated form.
 */
public record PatternElement(boolean negated, List<PolicyString> patterns, SourceLocation location) {

    public PatternElement {
        patterns = List.copyOf(patterns);
    }
}
