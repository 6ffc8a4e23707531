package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.spec.StepSpec;
import java.util.function.Consumer;

/**
 * {@code partition-by: [page]} sets the event key to the values of these fields, so that every event of one group
 * lands in the same partition downstream. It also notes where the event was read ({@link Origin}), for the window
 * downstream. The runtime adds it in front of a window grouped by fields, with a topic in
 * between, so that one task sees every event of a group.
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
            return new PartitionByStep(
                    new GroupKey(Args.strings(spec.argument(), spec.location(), "partition-by", "[page, country]")));
        }
    }

    private final GroupKey key;

    private PartitionByStep(GroupKey key) {
        this.key = key;
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        record.key(GroupKey.bytes(key.of(record)));
        if (record.origin() != null) {
            record.addHeader(Origin.header(record.origin()));
        }
        out.accept(record);
    }
}
