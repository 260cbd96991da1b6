package dev.gavel.policy;

/**
 * Where an element of a policy starts: line and column in its source text, and its JSON path
 * such as {@code Statement[2].Condition.StringLike}.
 */
public record SourceLocation(int line, int column, String path) {

    /** Stands for an element that was built in code rather than read from a text. */
    public static final SourceLocation NONE = new SourceLocation(0, 0, "");

    /** {@code line:column}, the form every message uses. */
    @Override
    public String toString() {
        return line + ":" + column;
    }
}
