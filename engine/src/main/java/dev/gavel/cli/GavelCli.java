package dev.gavel.cli;

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
            CommandLine.HelpCommand.class
        })
public final class GavelCli implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for {@code main} and for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new GavelCli()).setCaseInsensitiveEnumValuesAllowed(true);
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
