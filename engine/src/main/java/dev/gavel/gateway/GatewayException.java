package dev.gavel.gateway;

/**
 * A request the gateway refuses before deciding: unauthenticated, malformed, or mapping to no
 * operation. Carries the AWS error code and HTTP status a client of the service expects, such as
 * {@code SignatureDoesNotMatch} and 403, or {@code NotImplemented} and 501.
 */
public final class GatewayException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;

    public GatewayException(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    /** The AWS error code, such as {@code InvalidAccessKeyId}. */
    public String code() {
        return code;
    }

    /** The HTTP status of the refusal. */
    public int status() {
        return status;
    }
}
