package dev.gavel.json;

/**
 * A place in a JSON text: 1-based line and column, and the 0-based character offset.
 */
public record Position(int line, int column, int offset) {

    /** Stands for a value that did not come from a text, such as one built in code. */
    public static final Position NONE = new Position(0, 0, -1);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
