package dev.gavel.cli;

import dev.gavel.eval.KeyKnowledge;
import dev.gavel.policy.Finding;
import dev.gavel.report.ReportJson;
import dev.gavel.simulate.CaseLine;
import dev.gavel.simulate.CaseParser;
import dev.gavel.simulate.CaseResult;
import dev.gavel.simulate.CaseRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gavel simulate}: decides every case of a case file and prints one JSON line per case. */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Decide every case of a JSON Lines case file, with the compiled engine unless --engine says otherwise.",
            "Prints one JSON object per case, in input order: {\"id\", \"decision\", \"expect\", \"pass\"}.",
            "A malformed case prints {\"id\", \"line\", \"error\"} and the run goes on.",
            "Unknown fields of a case are warned about on stderr as FILE:LINE:COL: WARNING message.",
            "A summary 'N passed, N failed' goes to stderr; exit 1 if any case failed or errored.",
            "With --unknown-context or --unknown-key, or a case's own unknownContext or unknownKeys, keys a case does",
            "not give may be unknown; a case allowed for some of their values only is \"conditional\", with the",
            "\"condition\" they must meet."
        })
final class SimulateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "compiled",
            converter = EngineConverter.class,
            description = "Which evaluator decides: compiled (what Gavel runs) or reference (the executable "
                    + "specification), to compare the two on your cases (default: ${DEFAULT-VALUE}).")
    private CaseRunner.Engine engine;

    @Parameters(index = "0", paramLabel = "FILE.jsonl", description = "The case file.")
    private Path file;

    @Option(names = "--explain", description = "Add each decision's explanation.")
    private boolean explain;

    @Mixin
    private UnknownContextOptions unknown;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<CaseLine> lines;
        try {
            lines = CaseParser.read(file);
        } catch (IOException e) {
            err.println("gavel simulate: cannot read " + file + ": " + e.getMessage());
            return Exit.USAGE;
        }
        KeyKnowledge knowledge = unknown.knowledge(err, "gavel simulate");
        if (knowledge == null) {
            return Exit.USAGE;
        }
        CaseRunner runner = new CaseRunner(engine);
        int passed = 0;
        int failed = 0;
        int errors = 0;
        for (CaseLine line : lines) {
            warn(err, line);
            CaseResult result = runner.run(line, knowledge);
            out.println(ReportJson.caseLine(result, explain, false));
            switch (result.outcome()) {
                case PASSED -> passed++;
                case FAILED -> failed++;
                case ERROR -> errors++;
                default -> { }
            }
        }
        out.flush();
        if (errors > 0) {
            err.println(errors + " malformed " + (errors == 1 ? "case" : "cases") + " (counted as failed)");
        }
        err.println(passed + " passed, " + (failed + errors) + " failed");
        err.flush();
        return failed + errors > 0 ? Exit.FAILED : Exit.OK;
    }

    /** Prints a case line's warnings, such as unknown fields, as {@code FILE:LINE:COL: WARNING message}. */
    static void warn(PrintWriter err, CaseLine line) {
        for (Finding warning : line.warnings()) {
            err.println(warning.source() + ":" + warning.location() + ": " + warning.severity() + " "
                    + warning.message());
        }
    }
}
