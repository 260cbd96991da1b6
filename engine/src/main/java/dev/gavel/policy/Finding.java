package dev.gavel.policy;

import java.util.Comparator;

/**
 * A problem found in a policy: its code and severity, a message in lowercase without a final
 * period, the source (file or case field) and where in it.
 */
public record Finding(FindingCode code, String message, String source, SourceLocation location) {

    /** Findings in the order they stand in their source: by line, then column. */
    public static final Comparator<Finding> SOURCE_ORDER = Comparator
            .comparingInt((Finding f) -> f.location().line())
            .thenComparingInt(f -> f.location().column());

    public Severity severity() {
        return code.severity();
    }

    /** {@code FILE:LINE:COL: SEVERITY CODE message}, the form {@code gavel validate} prints. */
    public String format() {
        return source + ":" + location.line() + ":" + location.column() + ": " + severity() + " " + code + " "
                + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
