package dev.gavel.json;

/** A text that is not JSON, or that exceeds a reading limit, with the position of the problem. */
public final class JsonSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Position position;
    private final boolean limitExceeded;

    public JsonSyntaxException(String message, Position position, boolean limitExceeded) {
        super(message);
        this.position = position;
        this.limitExceeded = limitExceeded;
    }

    /** Where the problem was found. */
    public Position position() {
        return position;
    }

    /** True when the text is well-formed as far as read but exceeds a size or depth limit. */
    public boolean limitExceeded() {
        return limitExceeded;
    }
}
