package dev.gavel.policy;

import dev.gavel.condition.ConditionOperator;
import java.util.List;

/**
 * One condition test: an operator applied to one context key with the values it may match. A
 * statement's conditions all must hold; within one condition, any value may match.
 */
public record Condition(ConditionOperator operator, String key, List<ConditionValue> values, SourceLocation location) {

    public Condition {
        values = List.copyOf(values);
    }
}
