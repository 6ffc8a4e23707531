package dev.sluice.stream.connector;

import dev.sluice.stream.StreamRecord;
import java.util.List;

/**
 * A running sink of one stage task; one thread calls it. {@link #write} must make the records durable (or at least
 * handed to the destination) before it returns, because the stage commits its input offsets right after.
 */
public interface Sink extends AutoCloseable {
    void open() throws Exception;

    /**
     * Writes records.
     *
     * @throws SinkException retriable when the destination is unavailable (the runtime backs off and tries again);
     *     not retriable when these records are refused (the runtime then finds the bad ones and dead-letters them)
     */
    void write(List<StreamRecord> records) throws SinkException;

    @Override
    void close() throws Exception;
}
