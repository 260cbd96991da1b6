package dev.gavel.cli;

import dev.gavel.directory.Identity;
import dev.gavel.directory.RequestException;
import dev.gavel.sts.Sts;
import dev.gavel.sts.StsException;
import picocli.CommandLine.Option;

/** Who calls an STS operation: credentials, or a principal ARN (as a simulation of that principal). */
final class CallerOptions {

    @Option(names = "--access-key-id", paramLabel = "ID",
            description = "The caller's access key: a user's (AKIA...) or a session's (ASIA..., with --session-token).")
    String accessKeyId;

    @Option(names = "--session-token", paramLabel = "TOKEN", description = "The session token of ASIA... credentials.")
    String sessionToken;

    @Option(names = "--principal", paramLabel = "ARN",
            description = "Act as this user or role session without credentials (a simulation).")
    String principal;

    /** The caller, from credentials or a principal ARN. */
    Identity identity(Sts sts) throws StsException, RequestException {
        if (principal != null) {
            return sts.authorizer().identity(principal);
        }
        if (accessKeyId == null) {
            throw new RequestException("caller", "give --access-key-id (and --session-token for ASIA keys) or --principal");
        }
        return sts.credentials().resolve(accessKeyId, sessionToken).identity();
    }
}
