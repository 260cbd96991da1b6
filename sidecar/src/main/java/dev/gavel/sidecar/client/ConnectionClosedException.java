package dev.gavel.sidecar.client;

import dev.gavel.sidecar.protocol.ErrorCode;

/**
 * The connection closed before the answer came: the client was closed, the server went away or
 * shut down, or the server closed it after a protocol error ({@link #code()} then says which).
 * The request may or may not have been decided; checks have no effects, so it can be sent again.
 */
public final class ConnectionClosedException extends GavelClientException {

    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    @Override
    public boolean retryable() {
        return code() == null || super.retryable();
    }
}
