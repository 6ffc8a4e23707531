package dev.sluice.connect.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stream.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The short way from raw JSON to a line: it takes plain events, gives the line the general way would give, and leaves
 * everything it cannot copy as it is to the general way.
 */
class RawRowsTest {
    private static final long T = 1_795_611_600_000L; // 2026-11-25T13:00:00Z

    @Test
    void shouldCopyAPlainEventUnderTheColumnsKeys() {
        ParquetSchema schema = schema(ParquetSchema.TimePartitions.NONE, null);
        RawRows rows = new RawRows(schema);
        assertThat(rows.line(bytes("{\"id\":7,\"user\":\"ann\",\"amount\":2.50,\"paid\":true}"), T))
                .isTrue();
        assertThat(line(rows)).isEqualTo("{\"c0\":7,\"c1\":\"ann\",\"c2\":2.50,\"c3\":true}\n");
        assertThat(rows.line(bytes("{ \"paid\" : null ,\t\"id\": -3, \"user\": \"a\\\"b\\n\u00e9\ud83d\ude00\"}"), T))
                .isTrue();
        assertThat(line(rows)).isEqualTo("{\"c3\":null,\"c0\":-3,\"c1\":\"a\\\"b\\n\u00e9\ud83d\ude00\"}\n");
    }

    @Test
    void shouldLeaveToTheGeneralWayWhatItCannotCopyAsItIs() {
        ParquetSchema schema = schema(ParquetSchema.TimePartitions.NONE, null);
        RawRows rows = new RawRows(schema);
        for (String json : List.of(
                "{\"id\":7,\"new\":1}", // a field the schema lacks
                "{\"id\":\"7\"}", // text for a long
                "{\"id\":7.0}", // a fraction for a long
                "{\"id\":1234567890123456789}", // 19 digits
                "{\"id\":07}", // not JSON
                "{\"user\":7}", // a number for a string
                "{\"user\":\"\\u0041\"}", // a unicode escape
                "{\"user\":\"a\\x\"}", // not a JSON escape
                "{\"user\":\"tab\there\"}", // a raw control character
                "{\"amount\":1e400}", // an exponent of three digits
                "{\"amount\":12345678901234567890123456789012345678901}", // 41 characters
                "{\"amount\":1.}", // not JSON
                "{\"paid\":\"yes\"}",
                "{\"id\":1,\"id\":2}", // a repeated field
                "{\"id\":1,\n\"user\":\"a\"}", // a line break
                "{\"id\":1} x", // something after the object
                "{\"id\":1", // cut short
                "{}",
                "[1]",
                "{\"us\\u0065r\":\"a\"}")) { // an escape in a key
            assertThat(rows.line(bytes(json), T)).as(json).isFalse();
        }
        ParquetSchema tabbed = new ParquetSchema(
                new LinkedHashMap<>(Map.of("a\tb", ColumnType.LONG)),
                false,
                false,
                ParquetSchema.TimePartitions.NONE,
                null);
        assertThat(new RawRows(tabbed).line(bytes("{\"a\tb\":1}"), T)).isFalse(); // a raw tab: not JSON
        assertThat(new RawRows(tabbed).line(bytes("{\"a\\tb\":1}"), T)).isFalse(); // escaped: the general way
        byte[] invalidUtf8 = {'{', '"', 'u', 's', 'e', 'r', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
        assertThat(rows.line(invalidUtf8, T)).isFalse();
        byte[] surrogate = {'{', '"', 'u', 's', 'e', 'r', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'
        };
        assertThat(rows.line(surrogate, T)).isFalse();
    }

    @Test
    void shouldAddTheTimePartitionsFromTheTimestampOrTheTimeField() {
        RawRows byTimestamp = new RawRows(schema(ParquetSchema.TimePartitions.HOUR, null));
        assertThat(byTimestamp.line(bytes("{\"id\":1}"), T)).isTrue();
        assertThat(line(byTimestamp)).isEqualTo("{\"c2\":1,\"c0\":\"2026-11-25\",\"c1\":\"13\"}\n");

        ParquetSchema schema = schema(ParquetSchema.TimePartitions.DAY, "at");
        RawRows byField = new RawRows(schema);
        assertThat(byField.line(bytes("{\"id\":1,\"at\":\"2026-12-31T23:59:59Z\"}"), T))
                .isTrue();
        assertThat(line(byField)).isEqualTo("{\"c1\":1,\"c6\":\"2026-12-31T23:59:59Z\",\"c0\":\"2026-12-31\"}\n");
        assertThat(byField.line(bytes("{\"id\":1,\"at\":\"1795611600000\"}"), 0))
                .isTrue();
        assertThat(line(byField)).endsWith("\"c0\":\"2026-11-25\"}\n");
        assertThat(byField.line(bytes("{\"id\":1}"), T)).isFalse(); // no time: the general way says so
        assertThat(byField.line(bytes("{\"id\":1,\"at\":\"soon\"}"), T)).isFalse();
    }

    @Test
    void shouldFollowTheSchemaAsItGrows() {
        ParquetSchema schema =
                new ParquetSchema(new LinkedHashMap<>(), true, false, ParquetSchema.TimePartitions.NONE, null);
        RawRows rows = new RawRows(schema);
        byte[] first = bytes("{\"id\":1,\"price\":10}");
        assertThat(rows.line(first, T)).isFalse(); // no columns yet
        schema.line(Json.parseObject(first), T, new LineBytes());
        assertThat(rows.line(first, T)).isTrue();
        byte[] fraction = bytes("{\"id\":2,\"price\":10.5}");
        assertThat(rows.line(fraction, T)).isFalse(); // widens price to double
        schema.line(Json.parseObject(fraction), T, new LineBytes());
        assertThat(rows.line(fraction, T)).isTrue();
        assertThat(line(rows)).isEqualTo("{\"c0\":2,\"c1\":10.5}\n");
    }

    /** Random events, many of them broken: whatever the short way takes, it writes as the general way would. */
    @Test
    void shouldWriteWhatTheGeneralWayWritesForEveryEventItTakes() {
        Random random = new Random(42);
        int taken = 0;
        for (int round = 0; round < 20_000; round++) {
            ParquetSchema.TimePartitions time = ParquetSchema.TimePartitions.values()[round % 3];
            ParquetSchema schema = schema(time, time == ParquetSchema.TimePartitions.NONE ? null : "at");
            RawRows rows = new RawRows(schema);
            byte[] json = randomEvent(random);
            long timestamp = T + random.nextInt(1_000_000_000);
            if (!rows.line(json, timestamp)) {
                continue;
            }
            taken++;
            String quick = line(rows);
            LineBytes general = new LineBytes();
            try {
                schema.line(Json.parseObject(json), timestamp, general);
            } catch (RuntimeException e) { // StepException, or the JSON parser's
                throw new AssertionError("took " + new String(json, StandardCharsets.UTF_8) + ", which the general way"
                        + " refuses: " + e.getMessage());
            }
            assertThat(normal(quick))
                    .as(new String(json, StandardCharsets.UTF_8))
                    .isEqualTo(normal(text(general)));
        }
        assertThat(taken).as("events the short way took").isGreaterThan(2_000);
    }

    private static byte[] randomEvent(Random random) {
        String[] names = {"id", "user", "amount", "paid", "n", "at", "at", "other"};
        String[] values = {
            "1",
            "-42",
            "0",
            "123456789012345678",
            "2.5",
            "-0.125",
            "1e5",
            "1.5E-3",
            "3.0",
            "\"text\"",
            "\"a\\\"b\"",
            "\"\u00e9t\u00e9\"",
            "\"\\u0041\"",
            "true",
            "false",
            "null",
            "[1]",
            "{\"a\":1}",
            "\"2026-11-25T13:00:00Z\"",
            "\"1795611600000\"",
            "\"\"",
            "01",
            "1.",
            "tru",
            "\"\\/\\b\\f\\r\\t\""
        };
        Map<String, String[]> fitting = Map.of(
                "id", new String[] {"1", "-42", "0", "123456789012345678", "null"},
                "user", new String[] {"\"text\"", "\"a\\\"b\"", "\"\u00e9t\u00e9\"", "\"\"", "\"\\/\\b\\f\\r\\t\""},
                "amount", new String[] {"2.5", "-0.125", "1e5", "1.5E-3", "3.0", "7", "123456789012345678"},
                "paid", new String[] {"true", "false"},
                "n", new String[] {"1", "-42", "999999999"},
                "at", new String[] {"\"2026-11-25T13:00:00Z\"", "\"1795611600000\""});
        StringBuilder json = new StringBuilder("{");
        int fields = 1 + random.nextInt(4);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                json.append(random.nextInt(20) == 0 ? " ,\t" : ",");
            }
            String name = names[random.nextInt(names.length)];
            json.append('"').append(name).append('"');
            json.append(random.nextInt(20) == 0 ? " : " : ":");
            String[] fits = fitting.get(name);
            json.append(
                    fits != null && random.nextInt(5) > 0
                            ? fits[random.nextInt(fits.length)]
                            : values[random.nextInt(values.length)]);
        }
        json.append(random.nextInt(50) == 0 ? "" : "}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A line's values by key, numbers as the doubles they are (2.50 is 2.5, and 4 in a double column is 4.0), nulls
     * left out (a missing key is a null too).
     */
    private static Map<String, Object> normal(String line) {
        Map<String, Object> out = new TreeMap<>();
        Json.parseObject(line.getBytes(StandardCharsets.UTF_8)).forEach((k, v) -> {
            if (v != null) {
                out.put(k, v instanceof Number n ? (Object) n.doubleValue() : v);
            }
        });
        return out;
    }

    /** Columns id long, user string, amount double, paid boolean, n int, at string, after the time partitions. */
    private static ParquetSchema schema(ParquetSchema.TimePartitions time, String timeField) {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        columns.put("id", ColumnType.LONG);
        columns.put("user", ColumnType.STRING);
        columns.put("amount", ColumnType.DOUBLE);
        columns.put("paid", ColumnType.BOOLEAN);
        columns.put("n", ColumnType.INT);
        columns.put("at", ColumnType.STRING);
        return new ParquetSchema(columns, false, false, time, timeField);
    }

    private static String line(RawRows rows) {
        return text(rows.line());
    }

    private static String text(LineBytes line) {
        return new String(line.bytes(), 0, line.length(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
