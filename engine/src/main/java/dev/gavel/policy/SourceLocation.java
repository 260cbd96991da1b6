package dev.gavel.policy;

import java.util.Objects;

/**
 * Where an element of a policy starts: line and column in its source text, and its JSON path
 * such as {@code Statement[2].Condition.StringLike}.
 *
 * <p>A policy read from inside a larger file (a directory's account dump, a case) has paths that
 * all start with the document's own path, such as {@code RoleDetailList[4211].AssumeRolePolicyDocument}.
 * Such a location keeps that prefix, shared by every location of the document, apart from the
 * path within the document, which many documents share, and joins them only when asked: a loaded
 * account of 100,000 principals holds half a million locations, and their full paths alone were a
 * third of its heap (40 of 120 MiB, measured with DirectoryGenerator's account).
 */
public final class SourceLocation {

    /** Stands for an element that was built in code rather than read from a text. */
    public static final SourceLocation NONE = new SourceLocation(0, 0, "");

    private final int line;
    private final int column;
    /** The document's path within its file, or empty. */
    private final String document;
    /** The path within the document. */
    private final String within;

    public SourceLocation(int line, int column, String path) {
        this(line, column, "", path);
    }

    private SourceLocation(int line, int column, String document, String within) {
        this.line = line;
        this.column = column;
        this.document = Objects.requireNonNull(document);
        this.within = Objects.requireNonNull(within);
    }

    /**
     * The location at {@code within} in a document whose own path is {@code document}; its
     * {@link #path()} is the two joined with a dot.
     */
    public static SourceLocation within(int line, int column, String document, String within) {
        return new SourceLocation(line, column, document, within);
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The element's JSON path from the root of its text. */
    public String path() {
        return document.isEmpty() ? within : within.isEmpty() ? document : document + "." + within;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SourceLocation that && line == that.line && column == that.column
                && path().equals(that.path());
    }

    @Override
    public int hashCode() {
        return Objects.hash(line, column, path());
    }

    /** {@code line:column}, the form every message uses. */
    @Override
    public String toString() {
        return line + ":" + column;
    }
}
