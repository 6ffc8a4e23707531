package dev.sluice.stream.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text (RFC 8259) from UTF-8 bytes in two passes that can be far apart: the {@code skip} methods check
 * text against the grammar and step over it without building anything, and {@link #decode} builds the Java value of
 * text that was already checked, the way Jackson's untyped binding does: objects as {@link LinkedHashMap} (for a
 * repeated name the first position and the last value), arrays as {@link ArrayList}, integers as Integer, Long or
 * BigInteger by size, other numbers as Double. Stricter than Jackson's defaults in two places: text after the value
 * and malformed UTF-8 (overlong forms, encoded surrogates) are errors. Not thread-safe.
 */
final class JsonReader {
    /** Deeper nesting is refused, as Jackson does, so that hostile input cannot exhaust the stack. */
    static final int MAX_DEPTH = 1000;

    static final int ESCAPED = 1;
    static final int NON_ASCII = 2;

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final byte[] b;
    private final int limit;
    private int pos;
    /** The String hash of the last string skipped, if it was plain ASCII without escapes. */
    private int lastHash;

    JsonReader(byte[] bytes, int pos, int limit) {
        this.b = bytes;
        this.pos = pos;
        this.limit = limit;
    }

    int pos() {
        return pos;
    }

    int lastHash() {
        return lastHash;
    }

    /** Steps over whitespace and returns the next byte (0-255) without consuming it, or -1 at the end. */
    int peek() {
        while (pos < limit) {
            int c = b[pos] & 0xff;
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c;
            }
            pos++;
        }
        return -1;
    }

    /** Consumes the byte {@code c} after whitespace, or fails saying what was expected instead. */
    void expect(char c, String what) {
        if (peek() != c) {
            throw unexpected(what);
        }
        pos++;
    }

    /** Checks one value of any kind and steps over it. */
    void skipValue(int depth) {
        int c = peek();
        if (c == '{') {
            skipContainer(depth + 1, '}');
        } else if (c == '[') {
            skipContainer(depth + 1, ']');
        } else if (c == '"') {
            skipStringValue();
        } else if (c == 't') {
            skipLiteral("true");
        } else if (c == 'f') {
            skipLiteral("false");
        } else if (c == 'n') {
            skipLiteral("null");
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            skipNumber();
        } else {
            throw unexpected("a value");
        }
    }

    private void skipContainer(int depth, char close) {
        if (depth > MAX_DEPTH) {
            throw error("objects and arrays are nested more than " + MAX_DEPTH + " deep");
        }
        pos++;
        if (peek() == close) {
            pos++;
            return;
        }
        while (true) {
            if (close == '}') {
                if (peek() != '"') {
                    throw unexpected("a field name in double quotes");
                }
                skipString();
                expect(':', "':' after the field name");
            }
            skipValue(depth);
            int c = peek();
            pos++;
            if (c == close) {
                return;
            }
            if (c != ',') {
                pos--;
                throw unexpected("',' or '" + close + "'");
            }
        }
    }

    /**
     * Checks the string starting at the current double quote and steps past its closing quote.
     *
     * @return {@link #ESCAPED} and {@link #NON_ASCII} flags for what the string holds
     */
    int skipString() {
        pos++;
        return skipRestOfString();
    }

    /**
     * Checks a string value, whose hash nobody needs, stepping over eight bytes at a time while none of them is a
     * quote, a backslash, a control character or part of a multi-byte character.
     */
    private void skipStringValue() {
        pos++;
        while (pos + Long.BYTES <= limit && isPlainText((long) LONGS.get(b, pos))) {
            pos += Long.BYTES;
        }
        skipRestOfString();
    }

    private static boolean isPlainText(long x) {
        long quotes = x ^ 0x2222222222222222L;
        long backslashes = x ^ 0x5c5c5c5c5c5c5c5cL;
        long special = ((quotes - ONES) & ~quotes)
                | ((backslashes - ONES) & ~backslashes)
                | ((x - 0x2020202020202020L) & ~x)
                | x;
        return (special & HIGH_BITS) == 0;
    }

    /** Checks the string from the current position (after its opening quote) and steps past its closing quote. */
    private int skipRestOfString() {
        int flags = 0;
        int hash = 0;
        while (pos < limit) {
            int c = b[pos] & 0xff;
            if (c == '"') {
                pos++;
                lastHash = hash;
                return flags;
            } else if (c == '\\') {
                skipEscape();
                flags |= ESCAPED;
            } else if (c < 0x20) {
                throw error("a control character (code " + c + ") must be escaped inside a string");
            } else if (c >= 0x80) {
                skipUtf8(c);
                flags |= NON_ASCII;
            } else {
                hash = 31 * hash + c;
                pos++;
            }
        }
        throw error("a string is not closed with a double quote");
    }

    private void skipEscape() {
        if (pos + 1 >= limit) {
            throw error("a string is not closed with a double quote");
        }
        int c = b[pos + 1];
        if (c == 'u') {
            int unit = hex4();
            pos += 6;
            if (Character.isHighSurrogate((char) unit)) { // the first half of a pair: the second must follow
                int low = pos + 1 < limit && b[pos] == '\\' && b[pos + 1] == 'u' ? hex4() : -1;
                if (low < 0 || !Character.isLowSurrogate((char) low)) {
                    throw error(String.format(
                            "\\u%04X is the first half of a surrogate pair, and no \\u escape of a second half"
                                    + " (DC00 to DFFF) follows it",
                            unit));
                }
                pos += 6;
            } else if (Character.isLowSurrogate((char) unit)) {
                pos -= 6;
                throw error(String.format(
                        "\\u%04X is the second half of a surrogate pair, without a first half before it", unit));
            }
        } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't') {
            pos += 2;
        } else {
            pos++;
            throw error("unknown escape: a backslash followed by " + describe(c & 0xff));
        }
    }

    /** The four hexadecimal digits after the backslash and u at {@code pos}. */
    private int hex4() {
        int unit = 0;
        for (int i = 2; i < 6; i++) {
            int digit = pos + i < limit ? Character.digit(b[pos + i], 16) : -1;
            if (digit < 0) {
                pos += 1;
                throw error("\\u must be followed by four hexadecimal digits");
            }
            unit = unit * 16 + digit;
        }
        return unit;
    }

    /** Checks one UTF-8 sequence strictly (no overlong forms, no surrogates, nothing above U+10FFFF). */
    private void skipUtf8(int lead) {
        int length;
        int min = 0x80;
        int max = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            length = 2;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            length = 3;
            min = lead == 0xe0 ? 0xa0 : 0x80;
            max = lead == 0xed ? 0x9f : 0xbf;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            length = 4;
            min = lead == 0xf0 ? 0x90 : 0x80;
            max = lead == 0xf4 ? 0x8f : 0xbf;
        } else {
            throw error(String.format("byte 0x%02x is not valid UTF-8", lead));
        }
        for (int i = 1; i < length; i++) {
            int c = pos + i < limit ? b[pos + i] & 0xff : -1;
            boolean ok = i == 1 ? c >= min && c <= max : c >= 0x80 && c <= 0xbf;
            if (!ok) {
                throw error(String.format("byte 0x%02x starts a UTF-8 sequence that is cut short or malformed", lead));
            }
        }
        pos += length;
    }

    private void skipLiteral(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            if (pos + i >= limit || b[pos + i] != literal.charAt(i)) {
                throw error("unknown word; a value is a string in double quotes, a number, an object, an array,"
                        + " true, false or null");
            }
        }
        pos += literal.length();
    }

    private void skipNumber() {
        if (b[pos] == '-') {
            pos++;
        }
        if (pos >= limit || !isDigit(b[pos])) {
            throw error("a minus sign must be followed by a digit");
        }
        if (b[pos] == '0' && pos + 1 < limit && isDigit(b[pos + 1])) {
            throw error("a number must not start with 0 (leading zeros are not allowed)");
        }
        skipDigits();
        if (pos < limit && b[pos] == '.') {
            pos++;
            if (pos >= limit || !isDigit(b[pos])) {
                throw error("a decimal point must be followed by a digit");
            }
            skipDigits();
        }
        if (pos < limit && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < limit && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            if (pos >= limit || !isDigit(b[pos])) {
                throw error("an exponent must have digits");
            }
            skipDigits();
        }
    }

    private void skipDigits() {
        while (pos < limit && isDigit(b[pos])) {
            pos++;
        }
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Reads the fields of the object in {@code bytes} up to the one named {@code name} and decodes its value.
     *
     * @return the value, or null when the object has no such field
     * @throws JsonException if the text up to and including that value is not a JSON object
     */
    static Object topLevelField(byte[] bytes, String name) {
        JsonReader r = new JsonReader(bytes, 0, bytes.length);
        if (r.peek() != '{') {
            throw r.unexpected("'{'");
        }
        r.pos++;
        if (r.peek() == '}') {
            return null;
        }
        while (true) {
            if (r.peek() != '"') {
                throw r.unexpected("a field name in double quotes");
            }
            int nameStart = r.pos;
            int flags = r.skipString();
            boolean match = flags == 0
                    ? r.lastHash() == name.hashCode() && r.nameEquals(nameStart + 1, r.pos - 1, name)
                    : new JsonReader(bytes, nameStart, r.pos).decodeString().equals(name);
            r.expect(':', "':' after the field name");
            r.peek();
            int valueStart = r.pos;
            r.skipValue(1);
            if (match) {
                return new JsonReader(bytes, valueStart, r.pos).decode();
            }
            int c = r.peek();
            if (c != ',') {
                if (c == '}') {
                    return null;
                }
                throw r.unexpected("',' or '}' after a field");
            }
            r.pos++;
        }
    }

    /** Whether the plain ASCII bytes from {@code start} to {@code end} are the text {@code name}. */
    private boolean nameEquals(int start, int end, String name) {
        if (end - start != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (b[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Builds the value at the current position, which {@link #skipValue} has already checked. */
    Object decode() {
        int c = peek();
        if (c == '{') {
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                peek();
                String name = decodeString();
                expect(':', "':'");
                map.put(name, decode());
                if (peek() == '}') {
                    pos++;
                    return map;
                }
                pos++; // the comma
            }
        } else if (c == '[') {
            pos++;
            List<Object> list = new ArrayList<>();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(decode());
                if (peek() == ']') {
                    pos++;
                    return list;
                }
                pos++;
            }
        } else if (c == '"') {
            return decodeString();
        } else if (c == 't') {
            pos += 4;
            return Boolean.TRUE;
        } else if (c == 'f') {
            pos += 5;
            return Boolean.FALSE;
        } else if (c == 'n') {
            pos += 4;
            return null;
        }
        return decodeNumber();
    }

    /** Decodes the checked string starting at the current double quote. */
    String decodeString() {
        int start = ++pos;
        boolean ascii = true;
        while (true) {
            byte c = b[pos];
            if (c == '"') {
                pos++;
                return new String(
                        b, start, pos - 1 - start, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            }
            if (c == '\\') {
                pos = start;
                return decodeEscapedString();
            }
            ascii &= c >= 0;
            pos++;
        }
    }

    private String decodeEscapedString() {
        StringBuilder s = new StringBuilder();
        int run = pos;
        while (true) {
            byte c = b[pos];
            if (c == '"') {
                s.append(new String(b, run, pos - run, StandardCharsets.UTF_8));
                pos++;
                return s.toString();
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            s.append(new String(b, run, pos - run, StandardCharsets.UTF_8));
            byte e = b[pos + 1];
            pos += 2;
            switch (e) {
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    s.append((char) Integer.parseInt(new String(b, pos, 4, StandardCharsets.US_ASCII), 16));
                    pos += 4;
                }
                default -> s.append((char) e); // '"', '\\' or '/'
            }
            run = pos;
        }
    }

    private Object decodeNumber() {
        int start = pos;
        boolean negative = b[pos] == '-';
        if (negative) {
            pos++;
        }
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = -1;
        boolean exponent = false;
        for (; pos < limit; pos++) {
            byte c = b[pos];
            if (isDigit(c)) {
                mantissa = mantissa * 10 + (c - '0'); // only used while digits <= 18, so it cannot overflow
                digits++;
                if (fractionDigits >= 0) {
                    fractionDigits++;
                }
            } else if (c == '.') {
                fractionDigits = 0;
            } else if (c == 'e' || c == 'E' || c == '+' || (c == '-' && pos > start)) {
                exponent = true;
            } else {
                break;
            }
        }
        if (fractionDigits < 0 && !exponent) {
            if (digits <= 18) {
                long v = negative ? -mantissa : mantissa;
                return v == (int) v ? (Object) (int) v : (Object) v;
            }
            BigInteger big = new BigInteger(new String(b, start, pos - start, StandardCharsets.US_ASCII));
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (!exponent && digits <= 15 && fractionDigits < POWERS_OF_TEN.length) {
            // Both operands are exact doubles, so one correctly rounded division gives the correctly rounded value.
            double v = mantissa / POWERS_OF_TEN[fractionDigits];
            return negative ? -v : v;
        }
        return Double.parseDouble(new String(b, start, pos - start, StandardCharsets.US_ASCII));
    }

    JsonException unexpected(String expected) {
        if (pos >= limit) {
            return error("the text ends where " + expected + " should be");
        }
        return error("expected " + expected + " but found " + describe(b[pos] & 0xff));
    }

    private static String describe(int c) {
        return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
    }

    JsonException error(String problem) {
        int lineStart = pos;
        while (lineStart > 0 && b[lineStart - 1] != '\n') {
            lineStart--;
        }
        return new JsonException("not valid JSON: " + problem + " at column " + (Math.min(pos, limit) - lineStart + 1));
    }
}
