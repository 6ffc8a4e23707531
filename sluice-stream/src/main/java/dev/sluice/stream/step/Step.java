package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import java.util.function.Consumer;

/**
 * One processing step of a stage. Each task of a stage has its own step instances, used by one thread.
 */
public interface Step extends AutoCloseable {
    /**
     * Processes one record and hands zero or more records to {@code out} (the same one, changed or not, or new ones).
     *
     * @throws StepException if the record cannot be processed; it then goes to the dead-letter topic
     */
    void apply(StreamRecord record, Consumer<StreamRecord> out);

    /**
     * Called once on the task's thread before the first event, to get what the step reads besides events (a table to
     * join with, which is loaded first). An exception stops the run with its message.
     */
    default void open() {}

    @Override
    default void close() {}
}
