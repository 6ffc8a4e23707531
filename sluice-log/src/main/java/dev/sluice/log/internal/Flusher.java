package dev.sluice.log.internal;

import dev.sluice.log.LogException;
import dev.sluice.log.LogStorageException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The one thread of a log that calls fsync. Partitions ask for a flush after an append that must be durable or after a
 * roll; a partition queued once is flushed once, covering every append made before the flush starts, so writers that
 * wait together share one fsync (group commit).
 *
 * <p>Errors are handed to the error handler and fail the waiting appends; the thread keeps serving other partitions.
 */
final class Flusher implements AutoCloseable {
    private final LinkedBlockingQueue<DefaultPartitionLog> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final BiConsumer<String, Throwable> errorHandler;
    private volatile boolean running = true;

    Flusher(String name, BiConsumer<String, Throwable> errorHandler) {
        this.errorHandler = errorHandler;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues {@code partition} unless it is already queued. Thread-safe and cheap. */
    void request(DefaultPartitionLog partition) {
        if (partition.flushQueued.compareAndSet(false, true)) {
            queue.add(partition);
        }
    }

    private void run() {
        while (running) {
            DefaultPartitionLog p;
            try {
                p = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (p == null) {
                continue;
            }
            p.flushQueued.set(false);
            try {
                p.flushNow();
            } catch (LogStorageException e) { // says what and what to do
                errorHandler.accept(e.getMessage(), null);
            } catch (RuntimeException | Error e) { // the one thread that acknowledges durable appends must not die
                errorHandler.accept("fsync of " + p + " failed", e);
                p.failPendingAcks(new LogException("fsync of " + p + " failed: " + e.getMessage(), e));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
