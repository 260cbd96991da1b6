package dev.gavel.json;

/** A JSON string, unescaped. */
public record JsonString(String value, Position start) implements JsonValue {

    @Override
    public String typeName() {
        return "string";
    }

    @Override
    public String scalarText() {
        return value;
    }
}
