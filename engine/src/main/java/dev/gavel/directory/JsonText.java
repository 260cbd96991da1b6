package dev.gavel.directory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonBoolean;
import dev.gavel.json.JsonNumber;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonString;
import dev.gavel.json.JsonValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Writes a read JSON value back to compact JSON text. */
final class JsonText {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {}

    static String write(JsonValue value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            write(json, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, JsonValue value) throws IOException {
        if (value instanceof JsonObject object) {
            json.writeStartObject();
            for (JsonObject.Member member : object.members()) {
                json.writeFieldName(member.name());
                write(json, member.value());
            }
            json.writeEndObject();
        } else if (value instanceof JsonArray array) {
            json.writeStartArray();
            for (JsonValue element : array.elements()) {
                write(json, element);
            }
            json.writeEndArray();
        } else if (value instanceof JsonString string) {
            json.writeString(string.value());
        } else if (value instanceof JsonNumber number) {
            json.writeNumber(number.text());
        } else if (value instanceof JsonBoolean bool) {
            json.writeBoolean(bool.value());
        } else {
            json.writeNull();
        }
    }
}
