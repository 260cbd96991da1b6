package dev.gavel.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.SharedCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The case files: ours in corpus/cases, and the peer-labelled ones in ../shared/cases. */
class CaseFilesTest {

    private final CaseRunner runner = new CaseRunner();

    @Test
    void everyCorpusCasePassesAndSaysWhatItChecks() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("corpus", "cases"))) {
            files = walk.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        Set<String> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        int count = 0;
        for (Path file : files) {
            for (CaseLine line : CaseParser.read(file)) {
                count++;
                CaseResult result = runner.run(line);
                if (result.outcome() != CaseResult.Outcome.PASSED) {
                    problems.add(file + ":" + line.line() + " " + line.id() + " " + result.outcome()
                            + (result.evaluation() == null ? " " + ((MalformedCase) line).error()
                                    : " got " + result.evaluation().verdict()));
                }
                if (!ids.add(line.id())) {
                    problems.add(file + ":" + line.line() + " duplicate id " + line.id());
                }
                if (line instanceof SimulationCase simulation && (simulation.note() == null || simulation.note().isBlank())) {
                    problems.add(file + ":" + line.line() + " " + line.id() + " has no note");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        assertThat(count).isGreaterThanOrEqualTo(250);
    }

    @Test
    void theReadmeConditionalCasePassesAsWritten() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("{\"id\": \"start-payments-instance\"");
        String json = readme.substring(start, readme.indexOf("```", start)).replaceAll("\\s*\\n\\s*", " ");
        CaseLine line = CaseParser.parse("README.md", 1, json);
        CaseResult result = runner.run(line);
        assertThat(result.outcome()).isEqualTo(CaseResult.Outcome.PASSED);
        assertThat(((SimulationCase) line).expectCondition()).isNotNull();
    }

    @Test
    void agreesWithThePeerLabelledCases() throws IOException {
        Path file = SharedCorpus.require("cases/peer-labelled.jsonl");
        List<CaseLine> lines = CaseParser.read(file);
        List<String> disagreements = new ArrayList<>();
        for (CaseLine line : lines) {
            CaseResult result = runner.run(line);
            if (result.outcome() != CaseResult.Outcome.PASSED) {
                disagreements.add(line.id() + ": " + result.outcome()
                        + (result.evaluation() == null ? "" : " " + result.evaluation().verdict()));
            }
        }
        // Where the peer and the AWS documentation differ, corpus/cases/doc-vs-peer.jsonl records the
        // documented answer; the shared cases screen those areas out, so every one must agree.
        assertThat(lines).hasSize(1020);
        assertThat(disagreements).isEmpty();
    }
}
