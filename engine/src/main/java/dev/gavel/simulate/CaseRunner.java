package dev.gavel.simulate;

import dev.gavel.compile.PolicySetEvaluator;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.ConditionalEvaluator;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.KeyKnowledge;
import dev.gavel.eval.ReferenceEvaluator;
import dev.gavel.eval.Verdict;

/**
 * Runs simulation cases and compares each decision with the case's expectation, with the
 * compiled engine (what users run) or the reference evaluator (the executable specification).
 *
 * <p>Not thread-safe: one per thread.
 */
public final class CaseRunner {

    /** Which evaluator decides. */
    public enum Engine { COMPILED, REFERENCE }

    private final Engine engine;
    private final ReferenceEvaluator reference = new ReferenceEvaluator();
    private final PolicySetEvaluator compiled = new PolicySetEvaluator();
    private final ConditionalEvaluator conditional = new ConditionalEvaluator();

    /** A runner with the compiled engine. */
    public CaseRunner() {
        this(Engine.COMPILED);
    }

    public CaseRunner(Engine engine) {
        this.engine = engine;
    }

    /**
     * Analyses a case whose context keys may be unknown, as {@link KeyKnowledge} says, with the
     * reference evaluation logic whatever the runner's engine: the compiled engine decides only
     * requests whose every key is known.
     */
    public CaseAnalysis analyse(SimulationCase simulation, KeyKnowledge knowledge) {
        ConditionalEvaluation evaluation = conditional.evaluate(simulation.request(), simulation.policies(), knowledge);
        CaseResult.Outcome outcome = simulation.expect() == null ? CaseResult.Outcome.UNCHECKED
                : Verdict.of(simulation.expect()) == evaluation.verdict() ? CaseResult.Outcome.PASSED
                : CaseResult.Outcome.FAILED;
        return new CaseAnalysis(simulation, evaluation, outcome);
    }

    public CaseResult run(CaseLine line) {
        if (line instanceof MalformedCase) {
            return new CaseResult(line, null, CaseResult.Outcome.ERROR);
        }
        SimulationCase simulation = (SimulationCase) line;
        Evaluation evaluation = engine == Engine.COMPILED
                ? compiled.evaluate(simulation.request(), simulation.policies())
                : reference.evaluate(simulation.request(), simulation.policies());
        CaseResult.Outcome outcome = simulation.expect() == null ? CaseResult.Outcome.UNCHECKED
                : simulation.expect() == evaluation.decision() ? CaseResult.Outcome.PASSED
                : CaseResult.Outcome.FAILED;
        return new CaseResult(line, evaluation, outcome);
    }
}
