package dev.gavel.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonReaderTest {

    private final JsonReader reader = new JsonReader(10_000, 8);

    @Test
    void recordsPositionsOfValuesAndMemberNames() throws Exception {
        JsonObject root = (JsonObject) reader.read("{\n  \"a\": [1, \"x\"],\n  \"b\": true\n}");
        assertThat(root.start()).isEqualTo(new Position(1, 1, 0));
        JsonObject.Member b = root.members().get(1);
        assertThat(b.namePosition().line()).isEqualTo(3);
        assertThat(b.namePosition().column()).isEqualTo(3);
        JsonArray a = (JsonArray) root.get("a");
        assertThat(a.elements().get(1).start()).isEqualTo(new Position(2, 12, 13));
        assertThat(root.end().offset()).isEqualTo(32);
    }

    @Test
    void keepsDuplicateMembersInOrder() throws Exception {
        JsonObject root = (JsonObject) reader.read("{\"k\": 1, \"k\": 2}");
        assertThat(root.members()).extracting(JsonObject.Member::name).containsExactly("k", "k");
        assertThat(root.get("k").scalarText()).isEqualTo("1");
    }

    @Test
    void keepsNumbersAsWritten() throws Exception {
        JsonArray root = (JsonArray) reader.read("[1.50, -0, 1e3]");
        assertThat(root.elements()).extracting(JsonValue::scalarText).containsExactly("1.50", "-0", "1e3");
    }

    @Test
    void reportsSyntaxErrorsWithTheirPosition() {
        assertThatThrownBy(() -> reader.read("{\n  \"a\": tru\n}"))
                .isInstanceOfSatisfying(JsonSyntaxException.class, e -> {
                    assertThat(e.position().line()).isEqualTo(2);
                    assertThat(e.limitExceeded()).isFalse();
                });
        assertThatThrownBy(() -> reader.read("{\"a\": 1")).isInstanceOf(JsonSyntaxException.class);
        assertThatThrownBy(() -> reader.read("{} {}")).hasMessageContaining("after the JSON value");
        assertThatThrownBy(() -> reader.read("   ")).hasMessageContaining("empty input");
    }

    @Test
    void numbersLinesFromTheGivenFirstLine() {
        assertThatThrownBy(() -> reader.read("{\"a\": }", 42))
                .isInstanceOfSatisfying(JsonSyntaxException.class, e -> assertThat(e.position().line()).isEqualTo(42));
    }

    @Test
    void refusesTooDeepNesting() {
        String deep = "[".repeat(9) + "]".repeat(9);
        assertThatThrownBy(() -> reader.read(deep))
                .isInstanceOfSatisfying(JsonSyntaxException.class, e -> assertThat(e.limitExceeded()).isTrue());
    }

    @Test
    void refusesTooLongInputBeforeParsing() {
        String longText = "\"" + "x".repeat(10_001) + "\"";
        assertThatThrownBy(() -> reader.read(longText))
                .isInstanceOfSatisfying(JsonSyntaxException.class, e -> assertThat(e.limitExceeded()).isTrue());
    }
}
