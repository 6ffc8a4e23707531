package dev.sluice.stream;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Header;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.step.StepException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An event inside a stage, as steps see and change it: a key, a value that is raw bytes until a {@code parse} step
 * turns it into fields, headers, a timestamp, and the consumed event it came from. Owned by one thread; not
 * thread-safe.
 */
public final class StreamRecord {
    private byte[] key;
    private Object value;
    private List<Header> headers;
    private long timestamp;
    private String destination;
    private final ConsumedEvent origin;
    /** The event time a step read from the record, or {@link Long#MIN_VALUE}. */
    private long eventTime = Long.MIN_VALUE;

    public StreamRecord(byte[] key, Object value, List<Header> headers, long timestamp, ConsumedEvent origin) {
        this.key = key;
        this.value = value;
        this.headers = headers;
        this.timestamp = timestamp;
        this.origin = origin;
    }

    public static StreamRecord of(ConsumedEvent e) {
        return new StreamRecord(e.key(), e.value(), e.headers(), e.timestamp(), e);
    }

    /** A record with fields, for tests and the Java DSL. */
    public static StreamRecord ofFields(Map<String, Object> fields, long timestamp) {
        return new StreamRecord(null, new LinkedHashMap<>(fields), List.of(), timestamp, null);
    }

    public byte[] key() {
        return key;
    }

    public String keyAsString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    public void key(byte[] key) {
        this.key = key;
    }

    public Object value() {
        return value;
    }

    public void value(Object value) {
        this.value = value;
    }

    public boolean isParsed() {
        return value instanceof Map;
    }

    /**
     * The fields of a parsed event, changeable in place.
     *
     * @throws StepException if the event has not been parsed yet
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> fields() {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new StepException("the event has no fields yet: add a 'parse: json' (or csv) step before this one");
    }

    /** The value as bytes: raw bytes as they are, fields as compact JSON, text as UTF-8. */
    public byte[] valueBytes() {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        return Json.write(value);
    }

    public List<Header> headers() {
        return headers;
    }

    public String header(String name) {
        for (Header h : headers) {
            if (h.key().equals(name)) {
                return h.valueAsString();
            }
        }
        return null;
    }

    public void addHeader(Header header) {
        if (!(headers instanceof ArrayList)) {
            headers = new ArrayList<>(headers);
        }
        headers.add(header);
    }

    public long timestamp() {
        return timestamp;
    }

    public void timestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    /**
     * The event time a step read from the record (the step that keys events for a by-key topic does, so that its
     * stage's progress reports carry how far event time has got), or {@link Long#MIN_VALUE} when none did.
     */
    public long eventTime() {
        return eventTime;
    }

    public void eventTime(long eventTime) {
        this.eventTime = eventTime;
    }

    /** The topic a {@code route} step chose, or null for the stage's own output. */
    public String destination() {
        return destination;
    }

    public void destination(String topic) {
        this.destination = topic;
    }

    /** The consumed event this record came from, or null if it was made by a source. */
    public ConsumedEvent origin() {
        return origin;
    }

    /** A copy whose fields can change independently (a deep copy of maps and lists). */
    public StreamRecord copy() {
        StreamRecord r = new StreamRecord(key, Json.deepCopy(value), new ArrayList<>(headers), timestamp, origin);
        r.destination = destination;
        r.eventTime = eventTime;
        return r;
    }

    @Override
    public String toString() {
        return "StreamRecord[key=" + keyAsString() + ", value="
                + (value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value) + ", timestamp="
                + timestamp
                + "]";
    }
}
