package dev.sluice.stream.step;

import dev.sluice.broker.TopicPartition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per origin partition, the offset of the last event counted into one partition's state. Kept with its checkpoints,
 * so that events the stage before sends again after a restart are recognized and not counted twice. Owned by one
 * thread.
 */
final class CountedOffsets {
    private final Map<TopicPartition, Long> last = new HashMap<>();

    /** Records the event as counted; false if an event at or after its offset from its partition was counted before. */
    boolean isNew(Origin origin) {
        Long before = last.get(origin.partition());
        if (before != null && origin.offset() <= before) {
            return false;
        }
        last.put(origin.partition(), origin.offset());
        return true;
    }

    /** As a JSON object: {@code {"clicks/0": 1234}}. */
    Map<String, Object> save() {
        Map<String, Object> out = new LinkedHashMap<>();
        last.forEach((p, offset) -> out.put(p.topic() + "/" + p.partition(), offset));
        return out;
    }

    static CountedOffsets load(Map<?, ?> saved) {
        CountedOffsets c = new CountedOffsets();
        if (saved != null) {
            saved.forEach((k, v) -> {
                c.last.put(TopicPartition.parse(k.toString()), ((Number) v).longValue());
            });
        }
        return c;
    }
}
