package dev.gavel.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a text value by value: the same trees, positions and errors as reading it whole. */
class JsonStreamTest {

    private static JsonStream stream(String text, int maxLength) throws IOException {
        return new JsonStream(new StringReader(text), maxLength, 8);
    }

    /** Reads every element of the root object's "items" array and skips the rest, as the account reader does. */
    private static List<JsonStream.Captured> elements(String text) throws Exception {
        List<JsonStream.Captured> read = new ArrayList<>();
        try (JsonStream json = stream(text, 1 << 22)) {
            assertThat(json.begin()).isEqualTo(JsonStream.Token.START_OBJECT);
            while (json.next() == JsonStream.Token.NAME) {
                boolean items = json.name().equals("items");
                json.next();
                if (!items || json.token() != JsonStream.Token.START_ARRAY) {
                    json.skipValue();
                    continue;
                }
                while (json.next() != JsonStream.Token.END_ARRAY) {
                    read.add(json.readValue());
                }
            }
            json.end();
        }
        return read;
    }

    @Test
    void eachValueComesWithItsTextAndPositionsThatIndexIt() throws Exception {
        String text = "{\"skip\": {\"deep\": [1, 2, {\"x\": null}]},\n \"items\": [\n  {\"a\": [1, \"x\"],\n   \"b\": true},"
                + " \"s\", 7]}";
        List<JsonStream.Captured> read = elements(text);
        assertThat(read).hasSize(3);
        JsonObject first = (JsonObject) read.get(0).value();
        assertThat(read.get(0).text()).isEqualTo("{\"a\": [1, \"x\"],\n   \"b\": true}");
        // Lines and columns are the whole text's; offsets count from the value's first character.
        assertThat(first.start()).isEqualTo(new Position(3, 3, 0));
        assertThat(first.get("a").start()).isEqualTo(new Position(3, 9, 6));
        assertThat(first.members().get(1).namePosition().line()).isEqualTo(4);
        assertThat(first.end().offset()).isEqualTo(read.get(0).text().length());
        assertThat(read.get(1).value()).isEqualTo(new JsonString("s", new Position(4, 16, 0)));
        assertThat(read.get(1).text()).isNull();
        assertThat(read.get(2).value().scalarText()).isEqualTo("7");
    }

    @Test
    void valuesThatStraddleTheParsersReadBlocksKeepTheirWholeText() throws Exception {
        StringBuilder text = new StringBuilder("{\"items\": [");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String item = "{\"id\": " + i + ", \"name\": \"" + "n".repeat(i % 97) + "\",\n  \"tags\": [\"t" + i + "\"]}";
            expected.add(item);
            text.append(i == 0 ? "" : ",\n ").append(item);
        }
        text.append("]}");
        List<JsonStream.Captured> read = elements(text.toString());
        assertThat(read).extracting(JsonStream.Captured::text).containsExactlyElementsOf(expected);
        JsonReader whole = new JsonReader(1 << 20, 8);
        for (int i = 0; i < read.size(); i += 199) {
            JsonObject alone = (JsonObject) whole.read(expected.get(i));
            JsonObject streamed = (JsonObject) read.get(i).value();
            assertThat(streamed.end().offset()).isEqualTo(alone.end().offset());
            assertThat(streamed.get("tags").start().offset()).isEqualTo(alone.get("tags").start().offset());
        }
    }

    @Test
    void errorsAreThoseOfReadingTheWholeText() throws Exception {
        JsonReader whole = new JsonReader(1 << 20, 8);
        for (String broken : new String[] {"{\"items\": [{\"a\": 1}, {\"a\": tru}]}", "{\"items\": [", "", "  ",
            "{} {}", "{\"items\": [" + "[".repeat(9) + "]".repeat(9) + "]}", "{\"items\": [\"\\x\"]}"}) {
            JsonSyntaxException expected = catchSyntax(() -> whole.read(broken));
            JsonSyntaxException streamed = catchSyntax(() -> elements(broken));
            assertThat(streamed.getMessage()).as(broken).isEqualTo(expected.getMessage());
            assertThat(streamed.position().line()).as(broken).isEqualTo(expected.position().line());
            assertThat(streamed.position().column()).as(broken).isEqualTo(expected.position().column());
            assertThat(streamed.limitExceeded()).as(broken).isEqualTo(expected.limitExceeded());
        }
    }

    @Test
    void aTooLongTextIsRefusedWithItsWholeLengthEvenAfterASyntaxError() throws Exception {
        String text = "{\"items\": [1, 2, oops, " + "3, ".repeat(100) + "4]}";
        JsonSyntaxException e = catchSyntax(() -> {
            try (JsonStream json = stream(text, 100)) {
                json.begin();
                while (json.next() != null) {
                    continue;
                }
            }
        });
        assertThat(e.limitExceeded()).isTrue();
        assertThat(e.getMessage()).isEqualTo("input is " + text.length() + " characters, over the limit of 100");
        assertThat(e.position()).isEqualTo(new Position(1, 1, 0));
    }

    @Test
    void aTextThatIsNotValidInItsCharsetFailsToReadEvenAfterASyntaxError() throws Exception {
        byte[] bytes = "{\"items\": [oops], \"x\": \"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        Reader reader = new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT));
        assertThatThrownBy(() -> {
            try (JsonStream json = new JsonStream(reader, 1 << 20, 8)) {
                json.begin();
                while (json.next() != null) {
                    continue;
                }
            }
        }).isInstanceOf(CharacterCodingException.class);
    }

    @Test
    void largeSkippedValuesLeaveJustTheValuesRead() throws Exception {
        String big = "\"" + "x".repeat(100_000) + "\"";
        String text = "{\"skip\": [" + (big + ",").repeat(20) + "1], \"items\": [{\"k\": 1}]}";
        List<JsonStream.Captured> read = elements(text);
        assertThat(read).singleElement().extracting(JsonStream.Captured::text).isEqualTo("{\"k\": 1}");
    }

    private interface Action {
        void run() throws Exception;
    }

    private static JsonSyntaxException catchSyntax(Action action) throws Exception {
        try {
            action.run();
        } catch (JsonSyntaxException e) {
            return e;
        }
        throw new AssertionError("no syntax error");
    }
}
