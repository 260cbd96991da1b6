package dev.gavel.simulate;

import dev.gavel.compile.PolicySetEvaluator;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.ConditionalEvaluator;
import dev.gavel.eval.KeyKnowledge;
import dev.gavel.eval.ReferenceEvaluator;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs simulation cases and compares each answer with the case's expectation. A case whose
 * every context key is known is decided with the compiled engine (what users run) or the
 * reference evaluator (the executable specification); one with unknown keys is analysed.
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

    /** Runs a case line with the keys the case itself names unknown. */
    public CaseResult run(CaseLine line) {
        return run(line, KeyKnowledge.complete());
    }

    /**
     * Runs a case line with the keys the case names unknown and those {@code unknown} names too
     * (as {@code gavel simulate --unknown-context} does). When no key is unknown, the runner's
     * engine decides; otherwise the case is analysed with the reference evaluation logic whatever
     * the engine, since the compiled engine decides only requests whose every key is known.
     */
    public CaseResult run(CaseLine line, KeyKnowledge unknown) {
        if (line instanceof MalformedCase) {
            return new CaseResult(line, null, CaseResult.Outcome.ERROR);
        }
        SimulationCase simulation = (SimulationCase) line;
        KeyKnowledge knowledge = new KeyKnowledge(
                simulation.knowledge().unknownUnlessGiven() || unknown.unknownUnlessGiven(),
                concat(simulation.knowledge().unknownKeys(), unknown.unknownKeys()),
                concat(simulation.knowledge().knownKeys(), unknown.knownKeys()));
        ConditionalEvaluation evaluation;
        if (knowledge.unknownUnlessGiven() || !knowledge.unknownKeys().isEmpty()) {
            evaluation = conditional.evaluate(simulation.request(), simulation.policies(), knowledge);
        } else {
            evaluation = ConditionalEvaluation.of(engine == Engine.COMPILED
                    ? compiled.evaluate(simulation.request(), simulation.policies())
                    : reference.evaluate(simulation.request(), simulation.policies()));
        }
        return new CaseResult(line, evaluation, outcome(simulation, evaluation));
    }

    private static CaseResult.Outcome outcome(SimulationCase simulation, ConditionalEvaluation evaluation) {
        if (simulation.expect() == null) {
            return CaseResult.Outcome.UNCHECKED;
        }
        boolean passed = simulation.expect() == evaluation.verdict() && (simulation.expectCondition() == null
                || simulation.expectCondition().matches(evaluation.allowedWhen()));
        return passed ? CaseResult.Outcome.PASSED : CaseResult.Outcome.FAILED;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
