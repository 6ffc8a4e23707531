package dev.sluice.stream.connector;

import dev.sluice.broker.TopicPartition;
import java.util.Collection;
import java.util.Map;

/**
 * A sink that takes part in committing the input offsets, for exactly-once output (two-phase): what it writes stays
 * aside until {@link #prepare} makes it durable and names it by the input offsets it holds; the runtime then commits
 * the offsets, and {@link #publish} makes it visible. After a crash, {@link #recover} publishes what was prepared and
 * committed, and throws away the rest, whose events are read again. Used by the task's thread.
 */
public interface TransactionalSink extends Sink {
    /** How often the sink wants its output published, in ms; 0 for the run's checkpoint interval. */
    default long publishEveryMs() {
        return 0;
    }

    /** Makes everything written so far durable and ready to publish. */
    void prepare() throws SinkException;

    /** Publishes what was prepared, once the offsets of its events are committed. */
    void publish() throws SinkException;

    /**
     * When the task gets these input partitions (with the group's committed offsets, or none): publishes what a
     * previous owner prepared and committed, and removes what it wrote or prepared but did not commit.
     */
    void recover(Map<TopicPartition, Long> committed) throws SinkException;

    /**
     * When the task lost these input partitions without a commit (its group membership expired): forgets what it wrote
     * for them since the last commit, and does not publish what it prepared for them; their next owner reads those
     * events again, and its {@link #recover} decides on what was prepared.
     */
    void forget(Collection<TopicPartition> partitions) throws SinkException;
}
