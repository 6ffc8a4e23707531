package dev.sluice.stream.connector;

import dev.sluice.broker.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A running source. One thread calls it. The runtime publishes each batch, waits until the broker acknowledged it, and
 * only then stores the batch's position; after a restart the source resumes from the last stored position, so nothing
 * is lost (events after that position may be published twice).
 */
public interface Source extends AutoCloseable {
    /**
     * A source that is handed events from outside (an HTTP request, a subscription) instead of being polled. The
     * runtime calls {@link #start} instead of {@link #poll}; the source answers its callers once {@link Publisher}'s
     * futures complete. No positions are stored for it.
     */
    interface Push extends Source {
        void start(Publisher publisher) throws Exception;

        @Override
        default Batch poll(Duration maxWait) {
            throw new UnsupportedOperationException("a push source is not polled");
        }
    }

    /** Publishes events of a push source to its topic. Thread-safe. */
    interface Publisher {
        /** The offsets, in order, once the broker acknowledged every event; fails if any failed. */
        java.util.concurrent.CompletableFuture<List<dev.sluice.broker.SendResult>> publish(List<Event> events);

        /** True while the runtime runs; a push source stops taking input when false. */
        boolean isRunning();
    }

    /** Events to publish and the position reached after them. */
    record Batch(List<Event> events, Map<String, Object> position) {}

    /**
     * Opens the source.
     *
     * @param position the last stored position (as given in a {@link Batch}), or null on the first run
     */
    void open(Map<String, Object> position) throws Exception;

    /**
     * The next events, waiting up to {@code maxWait} for some.
     *
     * @return a batch (possibly empty), or null when the source has nothing more to give, ever
     */
    Batch poll(Duration maxWait) throws Exception;

    /**
     * Called on the source's thread once a position given in a batch is stored durably, with every event before it. A
     * source that must confirm its progress to where it reads from (a replication slot) does it here, never earlier.
     */
    default void stored(Map<String, Object> position) throws Exception {}

    /**
     * Whether the source has published what its input held when it opened: a file read to the end it had, a topic to
     * the end offsets it had, a database's snapshot, a generator with a count all of it. A table joined from the
     * source's topic is loaded only once that is acknowledged, so events are not joined with a table that its own
     * pipeline is still filling. Asked on the source's thread after each poll; once true it stays true. A source of
     * live events only (a subscription, an endless generator) has nothing from before: true at once, the default.
     */
    default boolean caughtUp() {
        return true;
    }

    @Override
    void close() throws Exception;
}
