package dev.gavel.sidecar.client;

import dev.gavel.eval.Decision;
import java.util.List;

/**
 * The server's answer to one check: its decision and the snapshot version it was decided on;
 * whether the check could be asked at all ({@link Status}); and, when asked for, the decisive
 * statements. Anything but {@link Status#OK} is answered {@code implicitDeny}.
 *
 * @param failedClosed deciding failed (an internal error, or expired credentials) and the answer is the fail-closed deny
 * @param detail what was wrong when the status is not OK; empty otherwise
 */
public record CheckResult(Decision decision, long snapshotVersion, Status status, boolean failedClosed, String detail,
        List<DecisiveStatement> statements) {

    /** Whether a check could be asked; the protocol's CheckStatus. */
    public enum Status {
        OK, UNKNOWN_PRINCIPAL, INVALID_CREDENTIALS, INVALID_ACTION, INVALID_CONTEXT, INVALID_REQUEST,
        /** A status of a newer protocol version than this client's. */
        UNKNOWN
    }

    public CheckResult {
        statements = List.copyOf(statements);
    }

    /** Whether the request is allowed: the only answer that lets it through. */
    public boolean allowed() {
        return decision == Decision.ALLOWED;
    }
}
