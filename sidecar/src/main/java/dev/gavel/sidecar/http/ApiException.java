package dev.gavel.sidecar.http;

/**
 * A request the API refuses: its code, a message in the house style (lowercase, user input
 * quoted) and the field at fault. Thrown without a stack trace: it is an answer, not a bug.
 */
final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field;

    ApiException(ErrorCode code, String field, String message) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    ErrorCode code() {
        return code;
    }

    /** The field at fault, as a path ({@code requests[2].context.aws:SourceIp}), or null. */
    String field() {
        return field;
    }
}
