package dev.gavel.eval;

import dev.gavel.policy.Condition;
import dev.gavel.policy.ConditionValue;
import dev.gavel.policy.PolicyVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * A condition of a statement whose key, or a policy variable in whose values, is unknown. It
 * evaluates exactly as the reference evaluator evaluates the condition.
 *
 * @param version the version of the policy, which decides whether its variables are substituted
 */
public record ConditionClause(Condition condition, PolicyVersion version, MatchedStatement statement)
        implements Clause {

    @Override
    public boolean holds(RequestContext complete) {
        return ReferenceConditions.holds(condition, version, complete, new HashSet<>());
    }

    @Override
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        keys.add(condition.key());
        if (condition.operator().base().family().acceptsVariables()) {
            for (ConditionValue value : condition.values()) {
                keys.addAll(Variables.keys(value.text(), version));
            }
        }
        return keys.stream().distinct().toList();
    }

    @Override
    public String toString() {
        return ResidualText.render(this);
    }
}
