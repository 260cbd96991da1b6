package dev.gavel.cli;

import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code gavel} command: validates IAM policies and tests what they allow. */
@Command(name = "gavel",
        mixinStandardHelpOptions = true,
        versionProvider = GavelCli.Version.class,
        description = "Gavel: AWS IAM authorization, exact and fast.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything passed, or the command did what it was asked",
            "1:a case failed, a policy has an ERROR finding, or STS refused a request",
            "2:the command line was wrong, or an input could not be read or loaded",
            "3:Java ran out of memory (one line says so; see GAVEL_JAVA_OPTS)"
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  GAVEL_JAVA_OPTS  options that scripts/gavel passes to java. A large directory",
            "                   may need more heap than Java's default (a quarter of RAM):",
            "                   GAVEL_JAVA_OPTS=-Xmx2g scripts/gavel check --directory ...",
            "                   README.md, \"Directories\", gives the heap sizes needed."
        },
        subcommands = {
            ValidateCommand.class,
            SimulateCommand.class,
            TestCommand.class,
            CheckCommand.class,
            WhoCanCommand.class,
            WhatCanCommand.class,
            DiffCommand.class,
            StsCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class GavelCli implements Runnable {

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    private GavelCli(Clock clock) {
        this.clock = clock;
    }

    /** The clock every command reads the time from: the system's, or a fixed one in tests. */
    Clock clock() {
        return clock;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(execute(commandLine(), args));
    }

    /**
     * Runs one command line. Running out of memory anywhere in it is one line on its error stream,
     * naming {@code GAVEL_JAVA_OPTS}, and the exit code {@link Exit#OUT_OF_MEMORY}: never a stack
     * trace. (picocli hands errors, unlike exceptions, straight back to its caller.)
     */
    public static int execute(CommandLine commandLine, String... args) {
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            PrintWriter err = commandLine.getErr();
            err.println(OutOfMemory.message(e, Runtime.getRuntime().maxMemory()));
            err.flush();
            return Exit.OUT_OF_MEMORY;
        }
    }

    /** The configured command line, for {@code main}. */
    public static CommandLine commandLine() {
        return commandLine(Clock.systemUTC());
    }

    /** The configured command line reading the time from {@code clock}, for tests. */
    public static CommandLine commandLine(Clock clock) {
        return new CommandLine(new GavelCli(clock)).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(GavelCli::internalError);
    }

    /**
     * An exception that no command expected is a bug: one line that says which command failed and
     * how, and the exit code {@link Exit#INTERNAL_ERROR}; the stack trace only when
     * {@code GAVEL_DEBUG} is set, for a bug report.
     */
    private static int internalError(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println("gavel " + command.getCommandName() + ": internal error: " + e
                + (debugging() ? "" : " (set GAVEL_DEBUG=1 for the stack trace, and please report it)"));
        if (debugging()) {
            e.printStackTrace(err);
        }
        err.flush();
        return Exit.INTERNAL_ERROR;
    }

    private static boolean debugging() {
        String value = System.getenv("GAVEL_DEBUG");
        return value != null && !value.isEmpty() && !value.equals("0");
    }

    /** Reports the version recorded in the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = GavelCli.class.getPackage().getImplementationVersion();
            return new String[] {"gavel " + (version == null ? "(development build)" : version)};
        }
    }
}
