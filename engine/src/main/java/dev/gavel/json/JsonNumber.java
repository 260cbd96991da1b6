package dev.gavel.json;

/** A JSON number, kept as written so that {@code 1.50} stays {@code 1.50}. */
public record JsonNumber(String text, Position start) implements JsonValue {

    @Override
    public String typeName() {
        return "number";
    }

    @Override
    public String scalarText() {
        return text;
    }
}
