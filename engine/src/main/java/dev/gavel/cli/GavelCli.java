package dev.gavel.cli;

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
        subcommands = {
            ValidateCommand.class,
            SimulateCommand.class,
            TestCommand.class,
            CheckCommand.class,
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
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for {@code main}. */
    public static CommandLine commandLine() {
        return commandLine(Clock.systemUTC());
    }

    /** The configured command line reading the time from {@code clock}, for tests. */
    public static CommandLine commandLine(Clock clock) {
        return new CommandLine(new GavelCli(clock)).setCaseInsensitiveEnumValuesAllowed(true);
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
