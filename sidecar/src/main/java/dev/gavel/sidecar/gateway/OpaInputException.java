package dev.gavel.sidecar.gateway;

/** An OPA request body Gavel cannot read, with the JSON path of the problem (such as {@code input.request.http.method}). */
final class OpaInputException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String path;

    OpaInputException(String path, String problem) {
        super(path.isEmpty() ? problem : path + ": " + problem);
        this.path = path;
    }

    /** Where in the body the problem is; empty for the body itself. */
    String path() {
        return path;
    }
}
