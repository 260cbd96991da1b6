package dev.gavel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** One run of the {@code gavel} command line in process: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {

    /** Runs {@code gavel} with these arguments. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = GavelCli.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** Runs {@code gavel} with the leading arguments, then the others. */
    static CliRun of(List<String> leading, String... args) {
        List<String> all = new ArrayList<>(leading);
        all.addAll(List.of(args));
        return of(all.toArray(new String[0]));
    }
}
