package dev.gavel.simulate;

import dev.gavel.eval.Evaluation;

/** What running one case line gave: its evaluation (null for a malformed line) and its outcome. */
public record CaseResult(CaseLine line, Evaluation evaluation, Outcome outcome) {

    /** How a case fared against its expectation. */
    public enum Outcome {
        /** The decision is the expected one. */
        PASSED,
        /** The decision differs from the expected one. */
        FAILED,
        /** The line is not a valid case. */
        ERROR,
        /** The case has no expectation to compare with. */
        UNCHECKED
    }
}
