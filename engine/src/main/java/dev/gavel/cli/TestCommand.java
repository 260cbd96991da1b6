package dev.gavel.cli;

import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.simulate.CaseLine;
import dev.gavel.simulate.CaseParser;
import dev.gavel.simulate.CaseResult;
import dev.gavel.simulate.CaseRunner;
import dev.gavel.simulate.MalformedCase;
import dev.gavel.simulate.SimulationCase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gavel test}: runs every case file under the given paths and reports per file. */
@Command(name = "test",
        mixinStandardHelpOptions = true,
        description = {
            "Run every case file (*.jsonl) under the given files and folders, like 'opa test'.",
            "Prints PASS or FAIL per file, each failing case with what it expected and got,",
            "then 'N passed, N failed'. Exit 1 if any case failed or is malformed.",
            "A case naming unknownKeys or unknownContext is analysed, and may expect \"conditional\"."
        })
final class TestCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "compiled",
            converter = EngineConverter.class,
            description = "Which evaluator decides: compiled (what Gavel runs) or reference (the executable "
                    + "specification), to compare the two on your cases (default: ${DEFAULT-VALUE}).")
    private CaseRunner.Engine engine;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Case files or folders holding them.")
    private List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                err.println("gavel test: no such file or folder: " + path);
                return Exit.USAGE;
            }
            try (Stream<Path> walk = Files.walk(path)) {
                walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".jsonl")).sorted().forEach(files::add);
            } catch (IOException e) {
                err.println("gavel test: cannot read " + path + ": " + e.getMessage());
                return Exit.USAGE;
            }
        }
        CaseRunner runner = new CaseRunner(engine);
        int passed = 0;
        int failed = 0;
        for (Path file : files) {
            List<CaseLine> lines;
            try {
                lines = CaseParser.read(file);
            } catch (IOException e) {
                err.println("gavel test: cannot read " + file + ": " + e.getMessage());
                return Exit.USAGE;
            }
            List<String> problems = new ArrayList<>();
            int filePassed = 0;
            for (CaseLine line : lines) {
                SimulateCommand.warn(err, line);
                CaseResult result = runner.run(line);
                switch (result.outcome()) {
                    case PASSED -> filePassed++;
                    case FAILED -> problems.add("  " + line.id() + " (line " + line.line() + "): "
                            + mismatch((SimulationCase) line, result.evaluation()));
                    case ERROR -> problems.add("  " + (line.id() == null ? "line " + line.line() : line.id())
                            + ": " + ((MalformedCase) line).error());
                    default -> problems.add("  " + line.id() + " (line " + line.line() + "): no \"expect\" to check");
                }
            }
            passed += filePassed;
            failed += problems.size();
            out.println((problems.isEmpty() ? "PASS " : "FAIL ") + file + " (" + lines.size() + " cases"
                    + (problems.isEmpty() ? "" : ", " + problems.size() + " failed") + ")");
            problems.forEach(out::println);
        }
        if (files.isEmpty()) {
            err.println("gavel test: no case files (*.jsonl) under " + paths);
            return Exit.USAGE;
        }
        out.println(passed + " passed, " + failed + " failed");
        out.flush();
        return failed > 0 ? Exit.FAILED : Exit.OK;
    }

    /**
     * {@code expected E [when C], got V: reason}; a conditional answer's reason reads
     * {@code allowed only when ...}, its condition in the form {@code expectCondition} takes.
     */
    private static String mismatch(SimulationCase simulation, ConditionalEvaluation got) {
        return "expected " + simulation.expect()
                + (simulation.expectCondition() == null ? "" : " when " + simulation.expectCondition())
                + ", got " + got.verdict() + ": " + got.explanation().reason();
    }
}
