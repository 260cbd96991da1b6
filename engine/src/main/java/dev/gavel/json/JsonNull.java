package dev.gavel.json;

/** A JSON {@code null}. */
public record JsonNull(Position start) implements JsonValue {

    @Override
    public String typeName() {
        return "null";
    }
}
