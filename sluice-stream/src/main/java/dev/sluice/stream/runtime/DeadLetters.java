package dev.sluice.stream.runtime;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.stream.StreamRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the dead-letter form of an event: the original key, value, headers and timestamp, plus headers saying where it
 * failed and why, so that it can be inspected and replayed to its original topic.
 */
public final class DeadLetters {
    public static final String PREFIX = "sluice.dlq.";
    public static final String STAGE = PREFIX + "stage";
    public static final String STEP = PREFIX + "step";
    public static final String ERROR = PREFIX + "error";
    public static final String MESSAGE = PREFIX + "message";
    public static final String TOPIC = PREFIX + "topic";
    public static final String PARTITION = PREFIX + "partition";
    public static final String OFFSET = PREFIX + "offset";
    public static final String TIMESTAMP = PREFIX + "timestamp";
    public static final String FAILED_AT = PREFIX + "failed-at";

    private DeadLetters() {}

    /**
     * @param step the step that failed ({@code 2:filter}), or {@code sink} when the sink refused the event
     */
    public static Event of(ConsumedEvent original, String stage, String step, Throwable error, long now) {
        List<Header> headers = new ArrayList<>();
        for (Header h : original.headers()) {
            if (!h.key().startsWith(PREFIX)) {
                headers.add(h);
            }
        }
        headers.add(Header.of(STAGE, stage));
        headers.add(Header.of(STEP, step));
        headers.add(Header.of(ERROR, error.getClass().getSimpleName()));
        headers.add(Header.of(MESSAGE, String.valueOf(error.getMessage())));
        headers.add(Header.of(TOPIC, original.topic()));
        headers.add(Header.of(PARTITION, Integer.toString(original.partition())));
        headers.add(Header.of(OFFSET, Long.toString(original.offset())));
        headers.add(
                Header.of(TIMESTAMP, Instant.ofEpochMilli(original.timestamp()).toString()));
        headers.add(Header.of(FAILED_AT, Instant.ofEpochMilli(now).toString()));
        return new Event(original.key(), original.value(), headers, original.timestamp());
    }

    /**
     * A record made inside the stage (a window's result), in the form of a consumed event so that it can be
     * dead-lettered: its topic is {@code (<step>)}, with no partition or offset.
     */
    public static ConsumedEvent asConsumed(StreamRecord r, String step) {
        return new ConsumedEvent("(" + step + ")", -1, -1, r.timestamp(), r.key(), r.valueBytes(), r.headers());
    }

    /** The original headers of a dead-lettered event, without the ones added here: what a replay sends. */
    public static List<Header> originalHeaders(List<Header> headers) {
        return headers.stream().filter(h -> !h.key().startsWith(PREFIX)).toList();
    }

    public static String header(List<Header> headers, String name) {
        for (Header h : headers) {
            if (h.key().equals(name)) {
                return h.valueAsString();
            }
        }
        return null;
    }
}
