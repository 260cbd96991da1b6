package dev.gavel.simulate;

import dev.gavel.eval.Evaluation;
import dev.gavel.eval.ReferenceEvaluator;

/** Runs simulation cases through the reference evaluator and compares with their expectation. */
public final class CaseRunner {

    private final ReferenceEvaluator evaluator = new ReferenceEvaluator();

    public CaseResult run(CaseLine line) {
        if (line instanceof MalformedCase) {
            return new CaseResult(line, null, CaseResult.Outcome.ERROR);
        }
        SimulationCase simulation = (SimulationCase) line;
        Evaluation evaluation = evaluator.evaluate(simulation.request(), simulation.policies());
        CaseResult.Outcome outcome = simulation.expect() == null ? CaseResult.Outcome.UNCHECKED
                : simulation.expect() == evaluation.decision() ? CaseResult.Outcome.PASSED
                : CaseResult.Outcome.FAILED;
        return new CaseResult(line, evaluation, outcome);
    }
}
