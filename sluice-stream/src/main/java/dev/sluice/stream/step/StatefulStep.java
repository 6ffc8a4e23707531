package dev.sluice.stream.step;

import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.StreamRecord;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A step that keeps state over event time, such as a window: it is told which input partitions its task owns (state
 * is held per partition, so a partition can move to another task), and when processing time passes, so it can close
 * windows when no event arrives.
 */
public interface StatefulStep extends Step {
    /**
     * Argument key the runtime adds when it puts a by-key topic in front of the step: the partitions of the original
     * input, by topic ({@code {clicks: 3}}).
     */
    String UPSTREAM = "upstream";

    /**
     * Header of events in a by-key topic in front of the step: where each was read, as {@code topic/partition/offset}
     * (it says which stream of a join an event is from).
     */
    String ORIGIN_HEADER = "sluice.window.input";

    /** The input partition that records not read from a topic (tests, the DSL) keep their state under. */
    TopicPartition NO_PARTITION = new TopicPartition("", 0);

    /** The task now reads these partitions. */
    void onAssigned(Collection<TopicPartition> partitions, long nowMs);

    /** The task no longer reads these partitions: their state goes. */
    void onRevoked(Collection<TopicPartition> partitions);

    /**
     * The task did not read its input for {@code ms} of processing time (it restored state, waited in a rebalance or
     * for a sink): an input is not to be taken for idle because of that time.
     */
    void pause(long ms);

    /**
     * The stage before the by-key topic reports, through {@code partition}, how far the partitions it reads (origins)
     * have got: every event it had for {@code partition} from them before the report has arrived, and those still to
     * come are at most the out-of-orderness behind each origin's latest event time, even when none of them lands in
     * {@code partition}. An origin the report says has been quiet for the idle timeout stops holding event time back
     * until it speaks again or the report lapses ({@link ProgressReport#nextWithinMs}); an origin with no report holds
     * it (the stage before may be down with events still to send). Steps that read their input directly get no reports.
     */
    void onProgress(TopicPartition partition, ProgressReport report, long nowMs);

    /**
     * Called after every poll, with or without events: hands results that are due (closed windows, early results) to
     * {@code out}.
     */
    void onTime(long nowMs, Consumer<StreamRecord> out);

    /**
     * The input of these partitions has ended (a bounded run read everything its sources wrote): hands every result to
     * {@code out} that event time passing every event would give, as a bounded Flink job does at the end of its input:
     * every window's result, the unmatched events of a left join, the event-time timers. State and event time stay as
     * they are (a window keeps its state, marked as emitted), so a later run over more of the same input goes on
     * exactly: a window that changes then comes out again, as an update.
     */
    void onInputEnd(Collection<TopicPartition> partitions, long nowMs, Consumer<StreamRecord> out);

    /**
     * What changed in a partition's state since the last call, as of now. Taking it is quick; the changes can then be
     * handed over on another thread while the step goes on processing (the step keeps the values as they were).
     */
    StateChanges changes(TopicPartition partition);

    /** Hands over what changed in a partition's state since the last call, at once. */
    default void drainChanges(TopicPartition partition, BiConsumer<byte[], byte[]> changes) {
        changes(partition).forEach(changes);
    }

    /**
     * Changes to a state: each entry's key and its new value, or null when it is gone. Keys and values are JSON
     * objects (UTF-8), so a changelog topic can be read by people too.
     */
    interface StateChanges {
        StateChanges NONE = new StateChanges() {
            @Override
            public int size() {
                return 0;
            }

            @Override
            public void forEach(BiConsumer<byte[], byte[]> sink) {}
        };

        int size();

        /** Hands every change to {@code sink}; called once, on any thread. */
        void forEach(BiConsumer<byte[], byte[]> sink);
    }

    /** Hands over every entry of a partition's state, as {@link #drainChanges} would (to inspect or query it). */
    void saveAll(TopicPartition partition, BiConsumer<byte[], byte[]> entries);

    /**
     * What a checkpoint of this partition keeps besides its entries, as JSON values: the watermark, so that a restored
     * state does not go back in event time, for one.
     */
    Map<String, Object> checkpointState(TopicPartition partition);

    /**
     * Replaces a partition's state with checkpointed entries, as {@link #drainChanges} handed them over, and what
     * {@link #checkpointState} kept (null when the partition has no checkpoint yet).
     */
    void restore(TopicPartition partition, Collection<byte[][]> entries, Map<String, Object> kept);

    /**
     * The current results held for a key (given as text: the key's value, or a JSON array of the values of several
     * fields), as the events the step would emit for them, with a {@code closed} field. Empty if it holds none.
     */
    List<Map<String, Object>> query(String key);

    /** Topics this step writes to besides the stage output, which the runtime creates when they are not declared. */
    default List<String> ownTopics() {
        return List.of();
    }
}
