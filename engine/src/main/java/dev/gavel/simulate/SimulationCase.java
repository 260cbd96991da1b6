package dev.gavel.simulate;

import dev.gavel.eval.Decision;
import dev.gavel.eval.PolicySet;
import dev.gavel.eval.Request;
import dev.gavel.policy.Finding;
import java.util.List;

/**
 * A simulation case: a request, the policies that apply to it, and optionally the decision it
 * is expected to get (null when the case only asks).
 */
public record SimulationCase(String id, int line, Request request, PolicySet policies, Decision expect,
        String note, List<Finding> warnings) implements CaseLine {

    public SimulationCase {
        warnings = warnings.stream().sorted(Finding.SOURCE_ORDER).toList();
    }
}
