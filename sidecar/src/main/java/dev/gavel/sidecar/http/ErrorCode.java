package dev.gavel.sidecar.http;

/**
 * The HTTP API's error codes, stable across releases, each with its HTTP status. An error
 * answers {@code {"error": {"code": CODE, "message": "...", "field": "path.to.field"}}}.
 */
public enum ErrorCode {
    /** The body is not JSON; the message gives the line and column. */
    MALFORMED_JSON(400),
    /** A required field is absent or null; {@code field} names it. */
    MISSING_FIELD(400),
    /** A field has the wrong type or a value that cannot be used; {@code field} names it. */
    INVALID_FIELD(400),
    /** A field the request format does not have, with a hint when it looks misspelt. */
    UNKNOWN_FIELD(400),
    /** A text body (a case file, a policy) that is not UTF-8. */
    INVALID_ENCODING(400),
    /** The HTTP request itself is malformed (Jetty's parser refused it). */
    BAD_REQUEST(400),
    /** The path names no endpoint. */
    NOT_FOUND(404),
    /** The endpoint exists but not for this method; the {@code Allow} header lists the methods. */
    METHOD_NOT_ALLOWED(405),
    /** Another reload is running. */
    RELOAD_IN_PROGRESS(409),
    /** The server has nothing to reload from. */
    RELOAD_UNAVAILABLE(409),
    /** The body is over the endpoint's size limit. */
    PAYLOAD_TOO_LARGE(413),
    /** A batch holds more requests than the limit. */
    BATCH_TOO_LARGE(413),
    /** The principal is not in the directory, or is not one that makes requests (a role). */
    UNKNOWN_PRINCIPAL(422),
    /** The access key or session token does not resolve: unknown, inactive, tampered or expired. */
    INVALID_CREDENTIALS(422),
    /** The reload found problems; the old snapshot keeps serving. */
    RELOAD_FAILED(422),
    /** No snapshot is loaded yet. */
    NOT_READY(503),
    /** A bug: the request was not decided. Never a stack trace. */
    INTERNAL_ERROR(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The HTTP status this code answers with. */
    public int status() {
        return status;
    }
}
