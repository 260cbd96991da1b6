package dev.gavel.sts;

/**
 * A refusal from a credentials or session flow, carrying AWS's error code
 * ({@code AccessDenied}, {@code ValidationError}, {@code InvalidIdentityToken},
 * {@code ExpiredToken}, {@code SignatureDoesNotMatch}, ...) and a message in AWS's words.
 */
public final class StsException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public StsException(String code, String message) {
        super(message);
        this.code = code;
    }

    public StsException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** AWS's error code, such as {@code AccessDenied}. */
    public String code() {
        return code;
    }

    /** {@code An error occurred (CODE): message}, as the AWS CLI prints it. */
    @Override
    public String toString() {
        return "An error occurred (" + code + "): " + getMessage();
    }
}
