package dev.gavel.cli;

import dev.gavel.directory.Directory;
import dev.gavel.directory.RequestException;
import dev.gavel.sts.IssuedSession;
import dev.gavel.sts.SessionTokenRequest;
import dev.gavel.sts.Sts;
import dev.gavel.sts.StsException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gavel sts get-session-token}: a user's own temporary credentials, with MFA when given a code. */
@Command(name = "get-session-token",
        mixinStandardHelpOptions = true,
        description = "Get temporary credentials for a user, as 'aws sts get-session-token' does; with "
                + "--serial-number and --token-code they carry MFA.")
final class GetSessionTokenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private StsCommand parent;

    @Mixin
    private DirectoryOptions directoryOptions;

    @Mixin
    private CallerOptions caller;

    @Mixin
    private StsOutput output;

    @Option(names = "--duration-seconds", paramLabel = "SECONDS")
    private Integer durationSeconds;

    @Option(names = "--serial-number", paramLabel = "ARN")
    private String serialNumber;

    @Option(names = "--token-code", paramLabel = "CODE")
    private String tokenCode;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Directory directory = directoryOptions.load(err);
        if (directory == null) {
            return Exit.USAGE;
        }
        Sts sts = parent.sts(directory);
        try {
            IssuedSession issued = sts.getSessionToken(caller.identity(sts),
                    new SessionTokenRequest(durationSeconds, serialNumber, tokenCode));
            output.print(spec.commandLine().getOut(), issued, null);
            return Exit.OK;
        } catch (StsException e) {
            err.println(StsOutput.error("GetSessionToken", e));
            return Exit.FAILED;
        } catch (RequestException e) {
            err.println("gavel sts get-session-token: " + e.getMessage());
            return Exit.USAGE;
        }
    }
}
