package dev.gavel;

import dev.gavel.eval.Decision;
import dev.gavel.eval.Explanation;

/**
 * An answer to a check: the decision and the version of the snapshot it was decided on, and, when
 * asked for, why. Answers without an explanation are shared (one of each decision per snapshot),
 * so a prepared check returns one without allocating.
 */
public final class Answer {

    private final Decision decision;
    private final long version;
    private final Explanation explanation;
    private final boolean failed;

    Answer(Decision decision, long version, Explanation explanation, boolean failed) {
        this.decision = decision;
        this.version = version;
        this.explanation = explanation;
        this.failed = failed;
    }

    public Decision decision() {
        return decision;
    }

    /** Whether the request is allowed: the only answer that lets it through. */
    public boolean allowed() {
        return decision == Decision.ALLOWED;
    }

    /** The version of the snapshot the answer was decided on. */
    public long version() {
        return version;
    }

    /** Why, for answers from an explaining call; null otherwise. */
    public Explanation explanation() {
        return explanation;
    }

    /**
     * Whether deciding failed (an internal error, or expired or vanished credentials) and the
     * answer is the fail-closed {@code implicitDeny}.
     */
    public boolean failed() {
        return failed;
    }

    @Override
    public String toString() {
        return decision + " (version " + version + (failed ? ", failed closed" : "") + ")";
    }
}
