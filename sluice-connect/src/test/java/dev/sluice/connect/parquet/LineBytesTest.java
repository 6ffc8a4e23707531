package dev.sluice.connect.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stream.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A line's bytes are what Java's own formatting and UTF-8 encoding give, and its strings read back as they were. */
class LineBytesTest {
    @Test
    void shouldWriteLongsAsJavaDoes() {
        Random random = new Random(3);
        LineBytes line = new LineBytes();
        for (int i = 0; i < 100_000; i++) {
            long v = switch (i) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                case 2 -> 0;
                case 3 -> -1;
                case 4 -> 1_000_000_000_000_000_000L;
                default -> random.nextLong() >> random.nextInt(64);
            };
            line.clear();
            line.putLong(v);
            assertThat(text(line)).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void shouldWriteDoublesThatReadBackAsTheSameDouble() {
        Random random = new Random(5);
        LineBytes line = new LineBytes();
        for (int i = 0; i < 200_000; i++) {
            double d = switch (i % 6) {
                case 0 -> Math.round(random.nextDouble() * 1_000_000) / 100.0; // a price
                case 1 -> Math.round(random.nextGaussian() * 1_000) / 10.0; // a temperature, negative too
                case 2 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
                case 3 -> Double.longBitsToDouble(random.nextLong()); // any finite double
                case 4 -> (double) (random.nextLong() >> random.nextInt(64));
                default -> random.nextInt(1_000_000) / Math.pow(10, random.nextInt(9));
            };
            if (!Double.isFinite(d)) {
                continue;
            }
            line.clear();
            line.putDouble(d);
            String text = text(line);
            assertThat(Double.doubleToRawLongBits(Double.parseDouble(text)))
                    .as(text + " for " + d)
                    .isEqualTo(Double.doubleToRawLongBits(d));
            assertThat(Json.parseValue(text.getBytes(StandardCharsets.UTF_8)))
                    .as(text)
                    .isInstanceOf(Number.class);
        }
        for (double d : new double[] {0.0, -0.0, 21.5, -0.25, 1e-7, 123456789.123, 9007199254740993.0, 3.0}) {
            line.clear();
            line.putDouble(d);
            assertThat(Double.doubleToRawLongBits(Double.parseDouble(text(line))))
                    .isEqualTo(Double.doubleToRawLongBits(d));
        }
        line.clear();
        line.putDouble(21.5);
        assertThat(text(line)).isEqualTo("21.5");
        line.clear();
        line.putDouble(-0.05);
        assertThat(text(line)).isEqualTo("-0.05");
        line.clear();
        line.putDouble(3.0);
        assertThat(text(line)).isEqualTo("3.0");
    }

    @Test
    void shouldQuoteStringsThatReadBackAsTheyWere() {
        LineBytes line = new LineBytes();
        for (String s : new String[] {
            "", "plain", "q\"b\\s/", "\n\r\t\b\f\u0000\u001f", "\u00e9\u00df\u20ac\ud83d\ude00", "a".repeat(2_000)
        }) {
            line.clear();
            line.putQuoted(s);
            assertThat(Json.parseValue(java.util.Arrays.copyOf(line.bytes(), line.length())))
                    .isEqualTo(s);
        }
        line.clear();
        String escapesAmongWideChars = "\u0001\b".repeat(200) + "\u20ac".repeat(341);
        line.putQuoted(escapesAmongWideChars); // six bytes for a one-char escape: room is made for them
        assertThat(Json.parseValue(java.util.Arrays.copyOf(line.bytes(), line.length())))
                .isEqualTo(escapesAmongWideChars);
        line.clear();
        line.putQuoted("lone \ud800 surrogate");
        assertThat(text(line)).isEqualTo("\"lone ? surrogate\""); // as String.getBytes(UTF_8) has it
        line.clear();
        line.putUtf8("{\"k\":\"\u20ac\"}");
        assertThat(text(line)).isEqualTo("{\"k\":\"\u20ac\"}");
    }

    private static String text(LineBytes line) {
        return new String(line.bytes(), 0, line.length(), StandardCharsets.UTF_8);
    }
}
