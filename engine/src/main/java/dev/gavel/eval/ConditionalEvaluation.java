package dev.gavel.eval;

import java.util.Objects;

/**
 * The answer to a request whose context may be partly unknown, and the conditions on the unknown
 * keys behind it. For every value the unknown keys may take (absent included), the request is
 * allowed exactly when {@code allowedWhen} holds, and explicitly denied exactly when
 * {@code explicitDenyWhen} holds; otherwise it is implicitly denied.
 *
 * <p>The verdict is {@code allowed} or {@code explicitDeny} when that holds whatever the unknown
 * keys are; {@code conditional} when it is allowed for some values only; otherwise
 * {@code implicitDeny}: never allowed, and explicitly denied only where {@code explicitDenyWhen}
 * holds, which is {@code false} unless some Deny statement depends on unknown keys.
 *
 * @param explanation for a verdict that needs no unknown key, the reference evaluator's
 *     explanation of the request; otherwise a reason naming the residual condition, the
 *     statements its clauses come from, and the unknown keys they read
 */
public record ConditionalEvaluation(Verdict verdict, Residual allowedWhen, Residual explicitDenyWhen,
        Explanation explanation) {

    public ConditionalEvaluation {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(allowedWhen, "allowedWhen");
        Objects.requireNonNull(explicitDenyWhen, "explicitDenyWhen");
        Objects.requireNonNull(explanation, "explanation");
    }

    /** A decision of a request whose every key is known, as a conditional evaluation that needs none. */
    public static ConditionalEvaluation of(Evaluation evaluation) {
        Decision decision = evaluation.decision();
        return new ConditionalEvaluation(Verdict.of(decision), Residual.of(decision == Decision.ALLOWED),
                Residual.of(decision == Decision.EXPLICIT_DENY), evaluation.explanation());
    }
}
