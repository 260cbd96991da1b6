package dev.gavel.json;

/** A JSON {@code true} or {@code false}. */
public record JsonBoolean(boolean value, Position start) implements JsonValue {

    @Override
    public String typeName() {
        return "boolean";
    }

    @Override
    public String scalarText() {
        return Boolean.toString(value);
    }
}
