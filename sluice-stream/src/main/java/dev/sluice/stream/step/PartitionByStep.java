package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.spec.StepSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code partition-by: [page]} sets the event key to the values of these fields, so that every event of one group
 * lands in the same partition downstream. It also notes where the event was read ({@link Origin}), for the stateful
 * step downstream. The runtime adds it in front of a window, join or process step grouped by fields, with a topic in
 * between, so that one task sees every event of a group; it then writes it as {@code partition-by: {fields: [page],
 * time: ts}} and the step also reads each event's time ({@link StreamRecord#eventTime}) the way the stateful step will,
 * so that the stage's progress reports carry how far event time has got. An event whose time cannot be read is sent on
 * without one: the stateful step dead-letters it.
 */
final class PartitionByStep implements Step {
    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "partition-by";
        }

        @Override
        public String usage() {
            return "partition-by: [page, country]";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            Object argument = spec.argument();
            if (argument instanceof Map<?, ?>) {
                Map<String, Object> m = Args.map(argument, spec.location(), "partition-by", "{fields: [page]}");
                Args.checkKeys(m, spec.location(), "partition-by", List.of("fields"), List.of("time"));
                return new PartitionByStep(
                        new GroupKey(Args.strings(m.get("fields"), spec.location(), "fields", "[page, country]")),
                        new EventTime(
                                m.containsKey("time")
                                        ? FieldPath.of(Args.string(m.get("time"), spec.location(), "time"))
                                        : null,
                                "partition-by"));
            }
            return new PartitionByStep(
                    new GroupKey(Args.strings(argument, spec.location(), "partition-by", "[page, country]")),
                    new EventTime(null, "partition-by"));
        }
    }

    private final GroupKey key;
    private final EventTime time;

    private PartitionByStep(GroupKey key, EventTime time) {
        this.key = key;
        this.time = time;
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        record.key(GroupKey.bytes(key.of(record)));
        if (record.origin() != null) {
            record.addHeader(Origin.header(record.origin()));
        }
        try {
            record.eventTime(time.of(record));
        } catch (StepException noTime) {
            // the stateful step reads it again and dead-letters the event with the reason
        }
        out.accept(record);
    }
}
