package dev.gavel.cli;

import java.io.PrintWriter;

/**
 * The progress line {@code gavel bench} shows on stderr while it runs: rewritten in place with
 * {@code \r} on a terminal, printed once a second otherwise (a log, a pipe, a test).
 */
final class BenchProgress {

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean quiet;
    /** How long the line on the terminal is now, to blank what a shorter line leaves. */
    private int shown;

    BenchProgress(PrintWriter err, boolean terminal, boolean quiet) {
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    /** How often the line is shown. */
    long intervalMillis() {
        return terminal ? 250 : 1_000;
    }

    void show(String line) {
        if (quiet) {
            return;
        }
        String text = "gavel bench: " + line;
        if (terminal) {
            err.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
            shown = text.length();
        } else {
            err.println(text);
        }
        err.flush();
    }

    /** Blanks the line on a terminal, so that what follows starts clean. */
    void clear() {
        if (terminal && shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }
}
