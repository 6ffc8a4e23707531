package dev.sluice.stream.state.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.stream.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * State values to and from JSON. Whole numbers and text, the common case of counters and labels, are read and
 * written directly; everything else goes through Jackson. Thread-safe.
 */
final class ValueCodec<T> {
    private final Class<T> type;
    private final ObjectMapper mapper = Json.mapper();
    private final boolean isLong;

    ValueCodec(Class<T> type) {
        this.type = type;
        this.isLong = type == Long.class;
    }

    byte[] write(T value) {
        if (isLong) {
            return Long.toString((Long) value).getBytes(StandardCharsets.ISO_8859_1);
        }
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + value.getClass().getName() + " as JSON", e);
        }
    }

    T read(byte[] value) {
        if (value == null) {
            return null;
        }
        if (isLong && isDigits(value)) {
            long n = 0;
            boolean negative = value[0] == '-';
            for (int i = negative ? 1 : 0; i < value.length; i++) {
                n = n * 10 + (value[i] - '0');
            }
            return type.cast(negative ? -n : n);
        }
        try {
            return mapper.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a state value as " + type.getName(), e);
        }
    }

    /** An integer short enough not to overflow: a sign and up to 18 digits. */
    private static boolean isDigits(byte[] value) {
        int start = value.length > 0 && value[0] == '-' ? 1 : 0;
        if (value.length == start || value.length - start > 18) {
            return false;
        }
        for (int i = start; i < value.length; i++) {
            if (value[i] < '0' || value[i] > '9') {
                return false;
            }
        }
        return true;
    }
}
