package dev.gavel.json;

/**
 * A JSON value read from a text, with the position where it starts.
 *
 * <p>Unlike a general-purpose tree, objects keep every member in order, duplicates included, so
 * that a validator can report a duplicate key instead of silently keeping one of them.
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {

    /** Where the value's first character is. */
    Position start();

    /** The JSON type's name as users know it: object, array, string, number, boolean, null. */
    String typeName();

    /** The value's text as a scalar (string, number or boolean), or null for objects, arrays, null. */
    default String scalarText() {
        return null;
    }
}
