package dev.sluice.stream.step;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Header;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.StreamRecord;

/**
 * Where an event was read before the runtime partitioned it by key, carried in the header {@value #HEADER} as {@code
 * topic/partition/offset}. The events of one origin partition reach each by-key partition in their original order,
 * so a window behind the by-key topic tracks event time per origin partition, and knows an event it has counted when
 * the stage before it sends it again after a restart (its offset is not above the last one counted).
 */
record Origin(TopicPartition partition, long offset) {
    static final String HEADER = StatefulStep.ORIGIN_HEADER;

    static Header header(ConsumedEvent e) {
        return Header.of(HEADER, e.topic() + "/" + e.partition() + "/" + e.offset());
    }

    /** The origin of a record read from a by-key topic, or null if it has none. */
    static Origin of(StreamRecord record) {
        String value = record.header(HEADER);
        if (value == null) {
            return null;
        }
        int last = value.lastIndexOf('/');
        try {
            return new Origin(
                    TopicPartition.parse(value.substring(0, Math.max(last, 0))),
                    Long.parseLong(value.substring(last + 1)));
        } catch (IllegalArgumentException e) {
            throw new StepException("header " + HEADER + " is not topic/partition/offset: '" + value + "'");
        }
    }
}
