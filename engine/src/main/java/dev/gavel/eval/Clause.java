package dev.gavel.eval;

import dev.gavel.condition.PolicyTemplate;
import dev.gavel.policy.PolicyVersion;
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

    /** The keys of the policy variables in a policy string, when the policy's version substitutes them. */
    static List<String> variableKeys(String text, PolicyVersion version) {
        if (!version.substitutesVariables() || text.indexOf("${") < 0) {
            return List.of();
        }
        return PolicyTemplate.parse(text).parts().stream()
                .filter(PolicyTemplate.Variable.class::isInstance)
                .map(part -> ((PolicyTemplate.Variable) part).key())
                .toList();
    }
}
