package dev.gavel.simulate;

import dev.gavel.eval.KeyKnowledge;
import dev.gavel.eval.PolicySet;
import dev.gavel.eval.Request;
import dev.gavel.eval.Verdict;
import dev.gavel.policy.Finding;
import java.util.List;
import java.util.Objects;

/**
 * A simulation case: a request, the policies that apply to it, which of its context keys are
 * unknown, and optionally the answer it is expected to get (null when the case only asks).
 *
 * @param knowledge which context keys are unknown: {@link KeyKnowledge#complete()} when the case
 *     names none, and the request is decided rather than analysed
 * @param expect the expected answer; {@code conditional} only when some key may be unknown
 * @param expectCondition the condition a {@code conditional} answer is expected to carry, or null
 *     when the case does not say
 */
public record SimulationCase(String id, int line, Request request, PolicySet policies, KeyKnowledge knowledge,
        Verdict expect, ExpectedCondition expectCondition, String note, List<Finding> warnings) implements CaseLine {

    public SimulationCase {
        Objects.requireNonNull(knowledge, "knowledge");
        warnings = warnings.stream().sorted(Finding.SOURCE_ORDER).toList();
    }
}
