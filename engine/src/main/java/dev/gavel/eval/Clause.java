package dev.gavel.eval;

import java.util.List;

/**
 * A leaf of a {@link Residual}: one test of a statement that reads context keys whose values
 * are unknown, kept as written so that it can be shown, and evaluated once the keys are known.
 */
public sealed interface Clause extends Residual permits ConditionClause, ResourceClause {

    /** The statement the test belongs to, and where it was written. */
    MatchedStatement statement();

    /** The context keys the test reads: its key, and those of its policy variables. */
    List<String> keys();
}
