package dev.sluice.connect.parquet;

import java.util.Arrays;

/**
 * One JSON line being made, as UTF-8 bytes ready for the buffer file: reused from event to event, so a line costs no
 * string and no copy of one. Used by one task's thread.
 */
final class LineBytes {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] bytes = new byte[512];
    private int length;

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    /** Makes room for {@code more} bytes, so that that many can be put without a check. */
    void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    void put(byte b) {
        room(1);
        bytes[length++] = b;
    }

    /** Appends {@code count} bytes of {@code b} from {@code from}. */
    void put(byte[] b, int from, int count) {
        room(count);
        byte[] to = bytes;
        int at = length;
        for (int k = 0; k < count; k++) { // keys and values are short: a loop beats arraycopy's set-up
            to[at + k] = b[from + k];
        }
        length = at + count;
    }

    void putLong(long v) {
        if (v == Long.MIN_VALUE) {
            putAscii(Long.toString(v));
            return;
        }
        room(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long p = 10; digits < 19 && v >= p; p *= 10) {
            digits++;
        }
        int i = length + digits;
        while (v >= 100) { // two digits a division
            int pair = (int) (v % 100);
            v /= 100;
            bytes[--i] = PAIRS[2 * pair + 1];
            bytes[--i] = PAIRS[2 * pair];
        }
        if (v >= 10) {
            bytes[--i] = PAIRS[2 * (int) v + 1];
            bytes[--i] = PAIRS[2 * (int) v];
        } else {
            bytes[--i] = (byte) ('0' + v);
        }
        length += digits;
    }

    /** "00" to "99", for writing two digits at once. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int n = 0; n < 100; n++) {
            PAIRS[2 * n] = (byte) ('0' + n / 10);
            PAIRS[2 * n + 1] = (byte) ('0' + n % 10);
        }
    }

    /** Appends text that is known to be ASCII (numbers as Java writes them, dates). */
    /** Powers of ten that a double holds exactly, for {@link #putDouble}. */
    private static final double[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /**
     * Writes a finite double as a JSON number that reads back as the same double. A value with up to six decimals
     * (a price, a temperature) is written as that plain decimal without {@link Double#toString}, which is slow on Java
     * 17: for the fewest decimals {@code k} with {@code round(d * 10^k) / 10^k == d}, the decimal {@code n / 10^k} reads
     * back as {@code d}, because reading a decimal and dividing two exact doubles round the same real number the same
     * way. Other values (more digits, very large or small, -0.0) are written as {@link Double#toString} writes them.
     */
    void putDouble(double d) {
        if (d != 0) {
            for (int k = 0; k < POW10.length; k++) {
                double scaled = d * POW10[k];
                if (Math.abs(scaled) >= 0x1p53) {
                    break;
                }
                long n = Math.round(scaled);
                if (n / POW10[k] == d) {
                    putDecimal(n, k);
                    return;
                }
            }
        } else if (Double.doubleToRawLongBits(d) == 0) {
            putAscii("0.0");
            return;
        }
        putAscii(Double.toString(d));
    }

    /** Writes {@code n / 10^decimals} as a plain decimal ({@code .0} when it is whole). */
    private void putDecimal(long n, int decimals) {
        if (n < 0) {
            put((byte) '-');
            n = -n;
        }
        long unit = (long) POW10[decimals];
        putLong(n / unit);
        put((byte) '.');
        if (decimals == 0) {
            put((byte) '0');
            return;
        }
        long fraction = n % unit;
        for (long p = unit / 10; p > 0; p /= 10) {
            put((byte) ('0' + fraction / p % 10));
        }
    }

    void putAscii(String s) {
        room(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
    }

    /** Appends {@code s} as a JSON string: quoted, escaped, UTF-8 (a lone surrogate becomes {@code ?}, as in Java). */
    void putQuoted(String s) {
        put((byte) '"');
        putText(s, true);
        put((byte) '"');
    }

    /** Appends {@code s} (JSON text already) in UTF-8. */
    void putUtf8(String s) {
        putText(s, false);
    }

    private void putText(String s, boolean escape) {
        room(s.length() * (escape ? 6 : 3)); // UTF-8: at most three bytes a char; escaped, six
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (escape && (c == '"' || c == '\\' || c < 0x20)) {
                    escape(c);
                } else {
                    bytes[length++] = (byte) c;
                }
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xC0 | (c >> 6));
                bytes[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                bytes[length++] = (byte) (0xF0 | (cp >> 18));
                bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                bytes[length++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                bytes[length++] = '?';
            } else {
                bytes[length++] = (byte) (0xE0 | (c >> 12));
                bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[length++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    private void escape(char c) {
        bytes[length++] = '\\';
        switch (c) {
            case '"' -> bytes[length++] = '"';
            case '\\' -> bytes[length++] = '\\';
            case '\n' -> bytes[length++] = 'n';
            case '\r' -> bytes[length++] = 'r';
            case '\t' -> bytes[length++] = 't';
            default -> {
                bytes[length++] = 'u';
                bytes[length++] = '0';
                bytes[length++] = '0';
                bytes[length++] = HEX[c >> 4];
                bytes[length++] = HEX[c & 0xF];
            }
        }
    }
}
