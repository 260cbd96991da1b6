package dev.gavel.sidecar.http;

import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonValue;

/** Reads a JSON value at a path such as {@code answers[1].error.code}, for assertions. */
final class Json {

    private Json() {}

    /** The value at the path, or null when there is none. */
    static JsonValue at(JsonValue root, String path) {
        JsonValue current = root;
        for (String step : path.split("\\.")) {
            int bracket = step.indexOf('[');
            String name = bracket < 0 ? step : step.substring(0, bracket);
            if (!name.isEmpty()) {
                if (!(current instanceof JsonObject object)) {
                    return null;
                }
                current = object.get(name);
            }
            while (bracket >= 0 && current != null) {
                int close = step.indexOf(']', bracket);
                int index = Integer.parseInt(step.substring(bracket + 1, close));
                if (!(current instanceof JsonArray array) || index >= array.elements().size()) {
                    return null;
                }
                current = array.elements().get(index);
                bracket = step.indexOf('[', close);
            }
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /** The scalar text at the path (a string's value, a number's digits, true or false), or null. */
    static String text(JsonValue root, String path) {
        JsonValue value = at(root, path);
        return value == null ? null : value.scalarText();
    }

    /** The number of elements of the array at the path. */
    static int size(JsonValue root, String path) {
        return ((JsonArray) at(root, path)).elements().size();
    }
}
