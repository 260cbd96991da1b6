package dev.gavel.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON text into {@link JsonValue}s with jackson-core's streaming parser, within limits.
 *
 * <p>The limits make hostile input harmless: the text length is checked before parsing, and the
 * nesting depth is enforced by the parser, so no input can exhaust the stack or the heap. Reading
 * stops at the first syntax error; its position is the one jackson reports.
 */
public final class JsonReader {

    private final int maxLength;
    private final JsonFactory factory;

    /**
     * @param maxLength the longest text accepted, in characters
     * @param maxDepth the deepest nesting of objects and arrays accepted
     */
    public JsonReader(int maxLength, int maxDepth) {
        this.maxLength = maxLength;
        this.factory = factory(maxLength, maxDepth);
    }

    /** A jackson factory whose parsers enforce the limits. */
    static JsonFactory factory(int maxLength, int maxDepth) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength(maxLength)
                        .maxNumberLength(1000)
                        .build())
                .build();
    }

    /** The message {@link #read} gives for a text over the length limit. */
    static String tooLong(long length, int maxLength) {
        return "input is " + length + " characters, over the limit of " + maxLength;
    }

    /** Reads exactly one JSON value that fills the whole text (surrounding whitespace aside). */
    public JsonValue read(String text) throws JsonSyntaxException {
        return read(text, 1);
    }

    /**
     * Reads a text that starts on line {@code firstLine} of a larger file, such as one line of a
     * JSON Lines file, so that every position names the file's line.
     */
    public JsonValue read(String text, int firstLine) throws JsonSyntaxException {
        int lineOffset = firstLine - 1;
        if (text.length() > maxLength) {
            throw new JsonSyntaxException(tooLong(text.length(), maxLength), new Position(firstLine, 1, 0), true);
        }
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new JsonSyntaxException("empty input: expected a JSON value", new Position(firstLine, 1, 0),
                        false);
            }
            JsonValue value = readValue(parser, first, lineOffset, 0);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw trailingContent(parser, lineOffset);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw syntaxException(e, lineOffset);
        } catch (IOException e) {
            // Reading from a String performs no I/O; jackson still declares it.
            throw new JsonSyntaxException(String.valueOf(e.getMessage()), new Position(firstLine, 1, 0), false);
        }
    }

    /** The exception for a text that goes on after its value. */
    static JsonSyntaxException trailingContent(JsonParser parser, int lineOffset) {
        return new JsonSyntaxException("unexpected content after the JSON value",
                position(parser.currentTokenLocation(), lineOffset, 0), false);
    }

    /** A jackson error as a syntax error, or a limit error when a reading limit was exceeded. */
    static JsonSyntaxException syntaxException(JsonProcessingException e, int lineOffset) {
        if (e instanceof StreamConstraintsException) {
            return new JsonSyntaxException(limitMessage(e), position(e.getLocation(), lineOffset, 0), true);
        }
        return new JsonSyntaxException(e.getOriginalMessage(), position(e.getLocation(), lineOffset, 0), false);
    }

    /**
     * Reads the value that starts at the parser's current token, {@code token}. Lines are
     * shifted by {@code lineOffset}; offsets count from {@code offsetBase}, the offset in the
     * parser's input where the text the caller measures against starts.
     */
    static JsonValue readValue(JsonParser parser, JsonToken token, int lineOffset, long offsetBase)
            throws IOException {
        Position start = position(parser.currentTokenLocation(), lineOffset, offsetBase);
        switch (token) {
            case START_OBJECT: {
                List<JsonObject.Member> members = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    Position namePosition = position(parser.currentTokenLocation(), lineOffset, offsetBase);
                    JsonValue value = readValue(parser, parser.nextToken(), lineOffset, offsetBase);
                    members.add(new JsonObject.Member(name, namePosition, value));
                }
                expectEnd(parser, next, JsonToken.END_OBJECT);
                return new JsonObject(members, start, endPosition(parser, lineOffset, offsetBase));
            }
            case START_ARRAY: {
                List<JsonValue> elements = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY && next != null) {
                    elements.add(readValue(parser, next, lineOffset, offsetBase));
                }
                expectEnd(parser, next, JsonToken.END_ARRAY);
                return new JsonArray(elements, start, endPosition(parser, lineOffset, offsetBase));
            }
            case VALUE_STRING:
                return new JsonString(parser.getText(), start);
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new JsonNumber(parser.getText(), start);
            case VALUE_TRUE:
                return new JsonBoolean(true, start);
            case VALUE_FALSE:
                return new JsonBoolean(false, start);
            case VALUE_NULL:
                return new JsonNull(start);
            default:
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected token " + token);
        }
    }

    private static void expectEnd(JsonParser parser, JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new com.fasterxml.jackson.core.JsonParseException(parser,
                    "unexpected end of input: expected " + (expected == JsonToken.END_OBJECT ? "'}'" : "']'"));
        }
    }

    /** The position just past the closing bracket of the current token. */
    private static Position endPosition(JsonParser parser, int lineOffset, long offsetBase) {
        JsonLocation location = parser.currentTokenLocation();
        return new Position(location.getLineNr() + lineOffset, location.getColumnNr() + 1,
                (int) (location.getCharOffset() - offsetBase) + 1);
    }

    static Position position(JsonLocation location, int lineOffset, long offsetBase) {
        if (location == null) {
            return new Position(1 + lineOffset, 1, 0);
        }
        return new Position(Math.max(location.getLineNr(), 1) + lineOffset, Math.max(location.getColumnNr(), 1),
                (int) (location.getCharOffset() - offsetBase));
    }

    private static String limitMessage(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int cut = message.indexOf(" (");
        return "input exceeds a reading limit: " + (cut > 0 ? message.substring(0, cut) : message);
    }
}
