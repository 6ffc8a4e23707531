package dev.sluice.broker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** An event as a consumer receives it: where it is stored, and what it holds. */
public record ConsumedEvent(
        String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {

    public ConsumedEvent {
        headers = List.copyOf(headers);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /** The event without its position, as it could be sent again. */
    public Event event() {
        return new Event(key, value, headers, timestamp);
    }

    public String keyAsString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumedEvent e
                && topic.equals(e.topic)
                && partition == e.partition
                && offset == e.offset
                && timestamp == e.timestamp
                && Arrays.equals(key, e.key)
                && Arrays.equals(value, e.value)
                && headers.equals(e.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }

    @Override
    public String toString() {
        return "ConsumedEvent[" + topic + "/" + partition + "@" + offset + ", key=" + keyAsString() + ", value="
                + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
