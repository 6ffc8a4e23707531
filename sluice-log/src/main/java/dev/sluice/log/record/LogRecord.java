package dev.sluice.log.record;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One decoded record with its absolute offset. Allocated per record; hot paths use {@link RecordCursor} instead.
 *
 * @param offset absolute offset in the partition
 * @param timestamp milliseconds since the epoch
 * @param key may be null
 * @param value may be null (a tombstone in a compacted topic)
 * @param headers never null
 */
public record LogRecord(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
    public LogRecord {
        headers = List.copyOf(headers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r
                && offset == r.offset
                && timestamp == r.timestamp
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value)
                && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, timestamp, Arrays.hashCode(key), Arrays.hashCode(value), headers);
    }

    @Override
    public String toString() {
        return "LogRecord[offset=" + offset + ", timestamp=" + timestamp + ", key="
                + (key == null ? "null" : key.length + " bytes") + ", value="
                + (value == null ? "null" : value.length + " bytes") + ", headers=" + headers + "]";
    }
}
