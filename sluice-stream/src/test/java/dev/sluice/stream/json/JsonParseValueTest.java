package dev.sluice.stream.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonParseValueTest {
    @Test
    void shouldParseAnyOneJsonValue() {
        assertThat(parse("{\"a\": [1, \"x\"]}")).isEqualTo(Map.of("a", List.of(1, "x")));
        assertThat(parse(" 42 ")).isEqualTo(42);
        assertThat(parse("\"text\"")).isEqualTo("text");
    }

    @Test
    void shouldRefuseTextAfterTheValue() {
        for (String text : List.of("{\"a\":1}xyz", "1 2", "[1] [2]", "\"a\" \"b\"")) {
            assertThatThrownBy(() -> parse(text)).as(text).isInstanceOf(JsonException.class);
        }
    }

    private static Object parse(String text) {
        return Json.parseValue(text.getBytes(StandardCharsets.UTF_8));
    }
}
