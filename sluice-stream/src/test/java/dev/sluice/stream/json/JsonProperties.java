package dev.sluice.stream.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Sluice's JSON reader gives exactly Jackson's values (same types, same numbers), never accepts what Jackson refuses,
 * and writes back, after changes, text that Jackson reads as the changed object.
 */
class JsonProperties {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader JACKSON =
            MAPPER.readerFor(Object.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Property(tries = 1000)
    void shouldReadWhatJacksonReads(@ForAll("texts") byte[] text) throws Exception {
        Object expected = JACKSON.readValue(text);
        assertThat(expected).isInstanceOf(Map.class);
        Map<String, Object> lazy = Json.parseObject(text);
        for (Map.Entry<?, ?> e : ((Map<?, ?>) expected).entrySet()) {
            assertThat(lazy.get(e.getKey())).as("field %s", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(lazy.get("no such field")).isNull();
        assertThat(lazy).isEqualTo(expected); // decodes every field
        assertThat(typesOf(lazy)).isEqualTo(typesOf(expected));
    }

    @Property(tries = 1000)
    void shouldReadOneTopLevelFieldAsTheWholeObjectHasIt(@ForAll("objects") byte[] text) throws Exception {
        Map<?, ?> expected = (Map<?, ?>) JACKSON.readValue(text);
        for (Map.Entry<?, ?> e : expected.entrySet()) {
            assertThat(Json.topLevelField(text, (String) e.getKey()))
                    .as("field %s", e.getKey())
                    .isEqualTo(e.getValue());
        }
        assertThat(Json.topLevelField(text, "no such field")).isNull();
    }

    @Test
    void shouldCheckEveryByteOfLongStringsWhereverTheSpecialOneIs() throws Exception {
        String[] specials = {"\\\"", "\\\\", "\\u00e9", "é", "\u0001", "\t", "\"", "\\x", "\u00ff"};
        for (int at = 0; at < 20; at++) {
            for (String special : specials) {
                String text = "{\"a\":\"" + "x".repeat(at) + special + "y".repeat(17) + "\"}";
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                Object expected;
                try {
                    expected = JACKSON.readValue(bytes);
                } catch (java.io.IOException e) {
                    expected = JsonException.class;
                }
                Object actual;
                try {
                    actual = Json.parseObject(bytes).get("a");
                    actual = Map.of("a", actual);
                } catch (JsonException e) {
                    actual = JsonException.class;
                }
                assertThat(actual).as(text).isEqualTo(expected);
            }
        }
    }

    @Test
    void shouldGiveNoTopLevelFieldForTextThatIsNotAnObjectUpToIt() {
        assertThat(Json.topLevelField(bytes("{\"a\":1,\"k\":\"x\"} trailing"), "k"))
                .isEqualTo("x");
        assertThat(Json.topLevelField(bytes("{\"a\":1,\"k\":\"x\",oops"), "k")).isEqualTo("x");
        assertThat(Json.topLevelField(bytes("{\"a\":tru,\"k\":\"x\"}"), "k")).isNull();
        assertThat(Json.topLevelField(bytes("[1,2]"), "k")).isNull();
        assertThat(Json.topLevelField(bytes(""), "k")).isNull();
        assertThat(Json.topLevelField(bytes("{\"\\u006b\":{\"b\":[1]}}"), "k")).isEqualTo(Map.of("b", List.of(1)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<byte[]> objects() {
        return object(3).map(JsonProperties::write);
    }

    @Property(tries = 1000)
    @SuppressWarnings("unchecked")
    void shouldWriteBackTheChangedObject(
            @ForAll("texts") byte[] text,
            @ForAll("values") Object newValue,
            @ForAll @IntRange(min = 0, max = 6) int change)
            throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> expected = (Map<String, Object>) JACKSON.readValue(text);
        Map<String, Object> lazy = Json.parseObject(text);
        String existing =
                expected.isEmpty() ? "x" : expected.keySet().iterator().next();
        switch (change) {
            case 1 -> { // add a field
                expected.put("added", newValue);
                lazy.put("added", newValue);
            }
            case 2 -> { // replace a field
                expected.put(existing, newValue);
                lazy.put(existing, newValue);
            }
            case 3 -> { // change a nested value in place, through get
                if (lazy.get(existing) instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> nested = (Map<String, Object>) m;
                    nested.put("inner", newValue);
                    ((Map<String, Object>) expected.get(existing)).put("inner", newValue);
                } else if (lazy.get(existing) instanceof List<?> l) {
                    @SuppressWarnings("unchecked")
                    List<Object> nested = (List<Object>) l;
                    nested.add(newValue);
                    ((List<Object>) expected.get(existing)).add(newValue);
                }
            }
            case 4 -> { // take a field out, then add one of the same name
                expected.remove(existing);
                Json.drop(lazy, existing);
                assertThat(lazy.containsKey(existing)).isFalse();
                assertThat(lazy.size()).isEqualTo(expected.size());
                expected.put(existing, newValue);
                lazy.put(existing, newValue);
            }
            case 5 -> { // take every field out but the first, and an added one
                expected.put("added", newValue);
                lazy.put("added", newValue);
                expected.keySet().retainAll(java.util.Set.of(existing));
                Json.keepOnly(lazy, java.util.Set.of(existing));
                assertThat(lazy.size()).isEqualTo(expected.size());
            }
            case 6 -> { // take fields out, keeping an added one
                lazy.put("added", newValue);
                expected.put("added", newValue);
                for (String k : List.copyOf(expected.keySet())) {
                    if (!k.equals("added") && k.hashCode() % 2 == 0) {
                        expected.remove(k);
                        Json.drop(lazy, k);
                    }
                }
            }
            default -> {} // unchanged
        }
        byte[] written = Json.write(lazy);
        Object reread = JACKSON.readValue(written);
        assertThat(reread).isEqualTo(MAPPER.readValue(MAPPER.writeValueAsBytes(expected), Map.class));
    }

    @Property(tries = 2000)
    void shouldNeverAcceptWhatJacksonRefuses(@ForAll("texts") byte[] text, @ForAll("damage") List<int[]> damage) {
        byte[] broken = damaged(text, damage);
        Object jackson;
        try {
            jackson = JACKSON.readValue(broken);
        } catch (Exception e) {
            jackson = null;
        }
        Map<String, Object> ours;
        try {
            ours = Json.parseObject(broken);
            ours.size();
            assertThat(ours).isEqualTo(ours); // decodes every field
        } catch (JsonException e) {
            assertThat(e.getMessage())
                    .matches(
                            "(not valid JSON: .* at column \\d+|not valid JSON: the text is empty|expected a JSON object, got .*)");
            return;
        }
        String shown = new String(broken, StandardCharsets.UTF_8);
        assertThat(jackson).as(shown).isNotNull().isEqualTo(ours);
    }

    @Test
    void shouldRefuseHalfASurrogatePairAsJacksonDoes() {
        assertThatThrownBy(() -> parse("{\"a\\uD83Dn\":1}"))
                .hasMessage("not valid JSON: \\uD83D is the first half of a surrogate pair, and no \\u escape of a"
                        + " second half (DC00 to DFFF) follows it at column 10");
        assertThatThrownBy(() -> parse("{\"a\":\"\\uDE00\"}"))
                .hasMessage("not valid JSON: \\uDE00 is the second half of a surrogate pair, without a first half"
                        + " before it at column 7");
        assertThat(parse("{\"a\":\"\\uD83D\\uDE00\"}")).isEqualTo(Map.of("a", "\uD83D\uDE00"));
    }

    @Test
    void shouldNameTheProblemAndItsColumn() {
        assertThatThrownBy(() -> parse("{\"a\":}"))
                .hasMessage("not valid JSON: expected a value but found '}' at column 6");
        assertThatThrownBy(() -> parse("{\"a\":1,}"))
                .hasMessage("not valid JSON: expected a field name in double quotes but found '}' at column 8");
        assertThatThrownBy(() -> parse("{\"a\":01}"))
                .hasMessage(
                        "not valid JSON: a number must not start with 0 (leading zeros are not allowed) at column 6");
        assertThatThrownBy(() -> parse("{\"a\":\"x}"))
                .hasMessage("not valid JSON: a string is not closed with a double quote at column 9");
        assertThatThrownBy(() -> parse("{\"a\":tru}")).hasMessageStartingWith("not valid JSON: unknown word");
        assertThatThrownBy(() -> parse("{\"a\":1} {}"))
                .hasMessage("not valid JSON: unexpected text after the end of the object at column 9");
        assertThatThrownBy(() -> parse("")).hasMessage("not valid JSON: the text is empty");
        assertThatThrownBy(() -> parse("[1,2]")).hasMessage("expected a JSON object, got an array");
        assertThatThrownBy(() -> parse("\"s\"")).hasMessage("expected a JSON object, got a string");
        assertThatThrownBy(() -> parse("{\"a\":1"))
                .hasMessage("not valid JSON: the text ends where ',' or '}' after" + " a field should be at column 7");
        assertThatThrownBy(() -> parse("[".repeat(1001))).hasMessageContaining("nested more than 1000 deep");
    }

    @Test
    void shouldKeepTheOriginalBytesOfFieldsNobodyChanged() {
        Map<String, Object> event = parse("{\"id\": 7, \"tags\":[1, 2],\"price\":1.50}");
        assertThat(Json.writeString(event)).isEqualTo("{\"id\": 7, \"tags\":[1, 2],\"price\":1.50}");
        assertThat(event.get("price")).isEqualTo(1.5);
        event.put("cents", 150);
        assertThat(Json.writeString(event)).isEqualTo("{\"id\": 7, \"tags\":[1, 2],\"price\":1.50,\"cents\":150}");
        event.put("id", "seven");
        assertThat(Json.writeString(event))
                .isEqualTo("{\"id\":\"seven\",\"tags\":[1, 2],\"price\":1.50,\"cents\":150}");
        event.remove("tags");
        assertThat(Json.writeString(event)).isEqualTo("{\"id\":\"seven\",\"price\":1.5,\"cents\":150}");
    }

    @Test
    void shouldTakeTheLastValueOfARepeatedNameAtItsFirstPlace() {
        Map<String, Object> event = parse("{\"a\":1,\"b\":2,\"\\u0061\":3}");
        assertThat(event.get("a")).isEqualTo(3);
        assertThat(Json.writeString(event)).isEqualTo("{\"a\":3,\"b\":2}");
    }

    @Test
    void shouldWriteDoublesAsTheShortestTextThatReadsBack() {
        assertThat(Json.writeString(List.of(3748.0, -0.0, 0.1, 1e7, 2.0e-5, 37.48 * 100, Double.NaN)))
                .isEqualTo("[3748.0,-0.0,0.1,1.0E7,2.0E-5,3747.9999999999995,\"NaN\"]");
    }

    private static Map<String, Object> parse(String s) {
        return Json.parseObject(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] damaged(byte[] text, List<int[]> damage) {
        byte[] b = text;
        for (int[] d : damage) {
            if (b.length == 0) {
                break;
            }
            int at = Math.floorMod(d[1], b.length);
            byte[] next;
            switch (d[0]) {
                case 0 -> { // replace a byte
                    next = b.clone();
                    next[at] = (byte) d[2];
                }
                case 1 -> { // delete a byte
                    next = new byte[b.length - 1];
                    System.arraycopy(b, 0, next, 0, at);
                    System.arraycopy(b, at + 1, next, at, b.length - at - 1);
                }
                default -> { // insert a byte
                    next = new byte[b.length + 1];
                    System.arraycopy(b, 0, next, 0, at);
                    next[at] = (byte) d[2];
                    System.arraycopy(b, at, next, at + 1, b.length - at);
                }
            }
            b = next;
        }
        return b;
    }

    private static Object typesOf(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> t = new LinkedHashMap<>();
            m.forEach((k, x) -> t.put(k, typesOf(x)));
            return t;
        }
        if (v instanceof List<?> l) {
            List<Object> t = new ArrayList<>();
            l.forEach(x -> t.add(typesOf(x)));
            return t;
        }
        return v == null ? "null" : v.getClass();
    }

    @Provide
    Arbitrary<List<int[]>> damage() {
        Arbitrary<Integer> bytes = Arbitraries.oneOf(
                Arbitraries.of((int) '"', (int) '\\', (int) ',', (int) ':', (int) '{', (int) '}', (int) '[', (int) ']'),
                Arbitraries.of((int) '0', (int) '-', (int) '.', (int) 'e', (int) ' ', (int) 'u', (int) 'n', 0),
                Arbitraries.integers().between(0, 255));
        Arbitrary<int[]> one = Arbitraries.integers()
                .between(0, 2)
                .flatMap(kind -> Arbitraries.integers()
                        .between(0, 10_000)
                        .flatMap(at -> bytes.map(b -> new int[] {kind, at, b})));
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<byte[]> texts() {
        Arbitrary<byte[]> written = object(3).map(JsonProperties::write);
        Arbitrary<byte[]> pretty = object(3).map(JsonProperties::writePretty);
        Arbitrary<byte[]> repeated = Arbitraries.of("a", "b", "\\u0061", "é", "c")
                .flatMap(name -> values().map(v -> "\"" + name + "\":" + new String(write(v), StandardCharsets.UTF_8)))
                .list()
                .ofMaxSize(5)
                .map(members -> ("{" + String.join(",", members) + "}").getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, written),
                net.jqwik.api.Tuple.of(2, pretty),
                net.jqwik.api.Tuple.of(2, repeated));
    }

    @Provide
    Arbitrary<Object> values() {
        return value(2);
    }

    private Arbitrary<Map<String, Object>> object(int depth) {
        return Arbitraries.maps(names(), value(depth)).ofMaxSize(6).map(LinkedHashMap::new);
    }

    private Arbitrary<Object> value(int depth) {
        List<Arbitrary<?>> scalars = List.of(
                text(),
                Arbitraries.integers(),
                Arbitraries.longs(),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(18).negate(), BigInteger.TEN.pow(30)),
                Arbitraries.doubles(),
                Arbitraries.doubles().ofScale(2).between(-1e6, 1e6),
                Arbitraries.of(0.1, 1e-7, 1e300, 4.9e-324, -0.0, 1e22, 123456789012345.6),
                Arbitraries.of(true, false),
                Arbitraries.just(null));
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                scalars.stream().map(a -> a.map(x -> (Object) x)).toList());
        if (depth == 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalar),
                net.jqwik.api.Tuple.of(1, object(depth - 1).map(m -> (Object) m)),
                net.jqwik.api.Tuple.of(1, value(depth - 1).list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l))));
    }

    private static Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), text());
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\u00ff')
                .withChars('"', '\\', '/', 'é', '€', '中')
                .withChars("\uD83D\uDE00".toCharArray())
                .ofMaxLength(12)
                .filter(s -> !hasLoneSurrogate(s));
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) {
                return true;
            }
            if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] write(Object v) {
        try {
            return MAPPER.writeValueAsBytes(v);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] writePretty(Object v) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(v);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
