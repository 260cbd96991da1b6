package dev.gavel.simulate;

import dev.gavel.eval.ConditionalEvaluation;

/**
 * What running one case line gave: its evaluation (null for a malformed line) and its outcome.
 * A case whose every context key is known is decided, and its evaluation is that decision
 * ({@link ConditionalEvaluation#of}); one with unknown keys is analysed.
 */
public record CaseResult(CaseLine line, ConditionalEvaluation evaluation, Outcome outcome) {

    /** How a case fared against its expectation. */
    public enum Outcome {
        /** The answer is the expected one, and so is its condition when the case gives one. */
        PASSED,
        /** The answer, or a conditional answer's condition, differs from the expected one. */
        FAILED,
        /** The line is not a valid case. */
        ERROR,
        /** The case has no expectation to compare with. */
        UNCHECKED
    }
}
