package dev.gavel.directory;

/** A request that cannot be decided as asked, naming the field at fault. */
public final class RequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;

    public RequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The request field at fault, such as {@code principal} or {@code context.aws:username}. */
    public String field() {
        return field;
    }
}
