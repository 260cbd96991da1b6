package dev.gavel.json;

import java.util.List;

/** A JSON array and where it ends. */
public record JsonArray(List<JsonValue> elements, Position start, Position end) implements JsonValue {

    public JsonArray {
        elements = List.copyOf(elements);
    }

    @Override
    public String typeName() {
        return "array";
    }
}
