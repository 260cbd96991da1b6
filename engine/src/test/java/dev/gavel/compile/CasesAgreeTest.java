package dev.gavel.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.SharedCorpus;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.ReferenceEvaluator;
import dev.gavel.simulate.CaseLine;
import dev.gavel.simulate.CaseParser;
import dev.gavel.simulate.SimulationCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every case of corpus/cases and ../shared/cases through both evaluators: the compiled one gives
 * the reference's decision, explanation (decisive statements, reason, missing keys) and, on its
 * fast path, the same decision again.
 */
class CasesAgreeTest {

    private final ReferenceEvaluator reference = new ReferenceEvaluator();
    private final PolicySetEvaluator compiled = new PolicySetEvaluator();

    @Test
    void ourCasesAgree() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("corpus", "cases"))) {
            files = walk.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        int count = 0;
        List<String> disagreements = new ArrayList<>();
        for (Path file : files) {
            count += compare(file, disagreements);
        }
        assertThat(disagreements).isEmpty();
        assertThat(count).isGreaterThan(500);
    }

    @Test
    void thePeerLabelledCasesAgree() throws IOException {
        List<String> disagreements = new ArrayList<>();
        int count = compare(SharedCorpus.require("cases/peer-labelled.jsonl"), disagreements);
        assertThat(disagreements).isEmpty();
        assertThat(count).isEqualTo(1020);
    }

    private int compare(Path file, List<String> disagreements) throws IOException {
        int count = 0;
        for (CaseLine line : CaseParser.read(file)) {
            if (!(line instanceof SimulationCase simulation)) {
                continue;
            }
            count++;
            Evaluation expected = reference.evaluate(simulation.request(), simulation.policies());
            Evaluation explained = compiled.evaluate(simulation.request(), simulation.policies());
            if (!expected.equals(explained)) {
                disagreements.add(file + ":" + line.line() + " " + line.id() + "\n  reference " + expected
                        + "\n  compiled  " + explained);
            }
            var decided = compiled.decide(simulation.request(), simulation.policies());
            if (decided != expected.decision()) {
                disagreements.add(file + ":" + line.line() + " " + line.id() + " fast path " + decided + " vs "
                        + expected.decision());
            }
        }
        return count;
    }
}
