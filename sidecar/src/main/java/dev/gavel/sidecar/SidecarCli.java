package dev.gavel.sidecar;

import dev.gavel.cli.GavelCli;
import picocli.CommandLine;

/**
 * The {@code gavel} command with the sidecar's commands added to the engine's: what
 * {@code scripts/gavel} runs when the sidecar is built. The engine's own jar keeps every command
 * but these, so an embedded user pulls no server library.
 */
public final class SidecarCli {

    private SidecarCli() {}

    public static void main(String[] args) {
        System.exit(GavelCli.execute(commandLine(), args));
    }

    /** The engine's command line with the sidecar's subcommands. */
    public static CommandLine commandLine() {
        CommandLine commandLine = GavelCli.commandLine();
        for (Object command : SidecarCommands.all()) {
            commandLine.addSubcommand(command);
        }
        return commandLine;
    }
}
