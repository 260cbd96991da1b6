package dev.gavel.sidecar.client;

import dev.gavel.sidecar.protocol.ErrorCode;

/**
 * A request the server refused, or a connection that failed. {@link #code()} is the protocol's
 * error code when the server sent one; {@link #retryable()} says whether the same request may
 * succeed later, on this connection or on a new one.
 */
public class GavelClientException extends java.io.IOException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    public GavelClientException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public GavelClientException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The server's error code, or null when the connection failed without one. */
    public ErrorCode code() {
        return code;
    }

    /** Whether retrying may succeed: the server was busy or shutting down, or the connection was lost. */
    public boolean retryable() {
        return code == null || code == ErrorCode.BUSY || code == ErrorCode.TOO_MANY_CONNECTIONS
                || code == ErrorCode.SHUTTING_DOWN;
    }
}
