package dev.sluice.broker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a producer publishes: key, value, headers and a timestamp. Bytes are not copied: do not change them after
 * sending.
 *
 * @param key may be null (the producer then spreads events over partitions)
 * @param value may be null (a tombstone on a compacted topic)
 * @param headers never null
 * @param timestamp milliseconds since the epoch
 */
public record Event(byte[] key, byte[] value, List<Header> headers, long timestamp) {
    public Event {
        headers = List.copyOf(headers);
    }

    public static Event of(byte[] key, byte[] value, long timestamp) {
        return new Event(key, value, List.of(), timestamp);
    }

    /** A UTF-8 text event; {@code key} may be null. */
    public static Event of(String key, String value, long timestamp) {
        return of(utf8(key), utf8(value), timestamp);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e
                && timestamp == e.timestamp
                && Arrays.equals(key, e.key)
                && Arrays.equals(value, e.value)
                && headers.equals(e.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), headers, timestamp);
    }

    @Override
    public String toString() {
        return "Event[key=" + (key == null ? "null" : new String(key, StandardCharsets.UTF_8)) + ", value="
                + (value == null ? "null" : value.length + " bytes") + ", headers=" + headers + ", timestamp="
                + timestamp + "]";
    }
}
