package dev.sluice.stream.json;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Writes plain values (maps, collections, strings, numbers, booleans, null) as compact JSON without the data-binding
 * machinery: about twice as fast as {@code ObjectMapper.writeValueAsBytes} for the small events of a pipeline, and the
 * same output. Other types are written as their {@code toString()} text. Thread-safe (a buffer per thread).
 */
final class JsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);

    private JsonWriter() {}

    /** A growable byte buffer; unlike ByteArrayOutputStream its methods are not synchronized. */
    static final class Buffer {
        private byte[] bytes = new byte[512];
        private int size;

        void reset() {
            size = 0;
        }

        int size() {
            return size;
        }

        void write(int b) {
            if (size == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, size * 2);
            }
            bytes[size++] = (byte) b;
        }

        void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(size * 2, size + more));
            }
        }

        void write(byte[] b, int off, int len) {
            if (size + len > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(size * 2, size + len));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        void writeAscii(String s) {
            for (int i = 0; i < s.length(); i++) {
                write(s.charAt(i));
            }
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }

    static byte[] write(Object value) {
        if (value instanceof LazyJsonObject lazy && lazy.unchangedBytes() != null) {
            return lazy.unchangedBytes();
        }
        Buffer b = buffer();
        value(b, value);
        return finish(b);
    }

    /** This thread's buffer, emptied. */
    static Buffer buffer() {
        Buffer b = BUFFER.get();
        b.reset();
        return b;
    }

    /** A copy of what {@code b} holds. */
    static byte[] finish(Buffer b) {
        byte[] out = b.toByteArray();
        if (b.size() > 1 << 20) {
            BUFFER.remove(); // do not keep a huge buffer per thread
        }
        return out;
    }

    static void value(Buffer b, Object v) {
        if (v == null) {
            b.writeAscii("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof LazyJsonObject lazy) {
            lazy.writeTo(b);
        } else if (v instanceof Map<?, ?> m) {
            object(b, m);
        } else if (v instanceof Collection<?> c) {
            b.write('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    b.write(',');
                }
                first = false;
                value(b, o);
            }
            b.write(']');
        } else if (v instanceof Double d) {
            number(b, d);
        } else if (v instanceof Float f) {
            b.writeAscii(Float.isFinite(f) ? NumberOutput.toString(f, true) : "\"" + f + "\"");
        } else if (v instanceof BigDecimal d) {
            b.writeAscii(d.toString());
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            writeLong(b, ((Number) v).longValue());
        } else if (v instanceof Number || v instanceof Boolean) {
            b.writeAscii(v.toString());
        } else {
            string(b, v.toString());
        }
    }

    static void object(Buffer b, Map<?, ?> m) {
        b.write('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
                b.write(',');
            }
            first = false;
            string(b, String.valueOf(e.getKey()));
            b.write(':');
            value(b, e.getValue());
        }
        b.write('}');
    }

    /**
     * Writes a double as the shortest text that reads back as the same double, the text Java 19's
     * {@code Double.toString} gives (Java 17's is slower and sometimes longer). Amounts with at most two decimals, the
     * common case in events, take a path that needs no search. Not-a-number and infinities, which JSON cannot hold, are
     * written as strings.
     */
    private static void number(Buffer b, double d) {
        double magnitude = Math.abs(d);
        if (!Double.isFinite(d)) {
            b.writeAscii("\"" + d + "\"");
        } else if (magnitude < 0.01 || magnitude >= 1e7 || !writeCents(b, d)) {
            b.writeAscii(NumberOutput.toString(d, true));
        }
    }

    /**
     * Writes {@code d} as a decimal with at most two decimals if that decimal reads back as exactly {@code d}. Then it is
     * also the shortest such text, since any other candidate differs from it by at least 0.01, far more than the
     * spacing of doubles below ten million.
     */
    private static boolean writeCents(Buffer b, double d) {
        long cents = Math.round(d * 100);
        if (cents / 100.0 != d) { // both exact below 2^53, so the division is the correctly rounded decimal
            return false;
        }
        if (cents < 0) {
            b.write('-');
            cents = -cents;
        }
        writeLong(b, cents / 100);
        b.write('.');
        long fraction = cents % 100;
        if (fraction % 10 == 0) {
            b.write((int) ('0' + fraction / 10));
        } else {
            b.write((int) ('0' + fraction / 10));
            b.write((int) ('0' + fraction % 10));
        }
        return true;
    }

    static void writeLong(Buffer b, long v) {
        if (v == Long.MIN_VALUE) {
            b.writeAscii(Long.toString(v));
            return;
        }
        if (v < 0) {
            b.write('-');
            v = -v;
        }
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) {
            digits++;
        }
        b.ensure(digits);
        for (int i = digits - 1; i >= 0; i--) {
            b.bytes[b.size + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        b.size += digits;
    }

    static void string(Buffer b, String s) {
        int n = s.length();
        b.ensure(n + 2);
        byte[] out = b.bytes;
        int at = b.size;
        out[at++] = '"';
        int i = 0;
        for (; i < n; i++) { // plain ASCII, the usual case, straight into the buffer
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            out[at++] = (byte) c;
        }
        b.size = at;
        escaped(b, s, i);
    }

    /** Writes {@code s} from {@code i} on, escaping what JSON needs escaped, and the closing quote. */
    private static void escaped(Buffer b, String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.write('\\');
                b.write(c);
            } else if (c < 0x20) {
                switch (c) {
                    case '\n' -> b.writeAscii("\\n");
                    case '\r' -> b.writeAscii("\\r");
                    case '\t' -> b.writeAscii("\\t");
                    case '\b' -> b.writeAscii("\\b");
                    case '\f' -> b.writeAscii("\\f");
                    default -> {
                        b.writeAscii("\\u00");
                        b.write(HEX[c >> 4]);
                        b.write(HEX[c & 0xf]);
                    }
                }
            } else if (c < 0x80) {
                b.write(c);
            } else {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) >= 0x80) {
                    end++;
                }
                byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                b.write(utf8, 0, utf8.length);
                i = end - 1;
            }
        }
        b.write('"');
    }
}
