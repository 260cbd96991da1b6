package dev.gavel.cli;

import dev.gavel.directory.Directory;
import dev.gavel.sts.Sts;
import java.security.SecureRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gavel sts}: the STS flows against a directory, printing what {@code aws sts} prints. */
@Command(name = "sts",
        mixinStandardHelpOptions = true,
        description = "Obtain temporary credentials from a directory, as 'aws sts' does.",
        subcommands = {
            AssumeRoleCommand.class,
            FederatedCommands.WebIdentity.class,
            FederatedCommands.Saml.class,
            GetSessionTokenCommand.class,
            CommandLine.HelpCommand.class
        })
final class StsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private GavelCli parent;

    /** The STS flows over a directory, on the command line's clock. */
    Sts sts(Directory directory) {
        return new Sts(directory, parent.clock(), new SecureRandom());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "an sts subcommand is required");
    }
}
