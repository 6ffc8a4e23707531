package dev.sluice.log;

import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.internal.TopicStore;
import dev.sluice.log.internal.TopicStore.MaintenanceResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The durable, partitioned log of one data directory: the entry point of this module.
 *
 * <pre>{@code
 * try (Log log = Log.open(LogConfig.of(Path.of("data")))) {
 *     Topic clicks = log.createTopic("clicks", 4, TopicConfig.defaults());
 *     RecordBatchBuilder batch = new RecordBatchBuilder(64 * 1024);
 *     batch.tryAppend(System.currentTimeMillis(), key, value, List.of());
 *     AppendResult at = clicks.partition(0).append(batch.build());
 * }
 * }</pre>
 *
 * <p>Opening takes an exclusive lock on the directory; a second process is refused with a {@link
 * DataDirectoryException}. After a crash, opening validates the data written since the last recovery point and
 * repairs it (see {@link #recoveryReport()}). Background threads flush ({@code sluice-flusher}) and run retention,
 * compaction and checkpoints ({@code sluice-log-maintenance}). Thread-safe.
 */
public final class Log implements AutoCloseable {
    private final TopicStore store;
    private final ScheduledExecutorService maintenance;

    private Log(LogConfig config) {
        this.store = new TopicStore(config);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-log-maintenance");
            t.setDaemon(true);
            return t;
        });
        if (config.maintenanceIntervalMs() > 0) {
            schedule(config, "retention and compaction", config.maintenanceIntervalMs(), store::runMaintenance);
        }
        schedule(
                config,
                "interval flush",
                1000,
                () -> store.flushIntervalTopics(config.clock().millis()));
        schedule(config, "recovery-point checkpoint", config.checkpointIntervalMs(), store::writeRecoveryPoints);
    }

    /**
     * Opens (creating if needed) the log in {@code config.dataDir()}.
     *
     * @throws DataDirectoryException if the directory is locked by another process or cannot be used
     */
    public static Log open(LogConfig config) {
        return new Log(config);
    }

    public static Log open(Path dataDir) {
        return open(LogConfig.of(dataDir));
    }

    public Path dataDir() {
        return store.dataDir();
    }

    /**
     * @throws TopicExistsException if the name is taken
     * @throws InvalidTopicException if the name or partition count is not allowed
     */
    public Topic createTopic(String name, int partitions, TopicConfig config) {
        return store.create(name, partitions, config);
    }

    /**
     * Changes some settings of a topic, keeping the others (retention, cleanup, flush policy, message size...): new
     * appends, rolls and maintenance runs use them.
     *
     * @throws UnknownTopicException if it does not exist
     * @throws dev.sluice.log.config.InvalidConfigException for an unknown key or a bad value
     */
    public Topic alterTopic(String name, java.util.Map<String, String> changes) {
        return store.alter(name, changes);
    }

    public Optional<Topic> findTopic(String name) {
        return store.find(name);
    }

    /**
     * @throws UnknownTopicException naming the closest existing topic, if any
     */
    public Topic topic(String name) {
        return store.get(name);
    }

    /** Every topic, sorted by name. */
    public List<Topic> topics() {
        return store.all();
    }

    /**
     * Deletes a topic and all its data. Appends and reads in flight fail with {@link LogClosedException}.
     *
     * @throws UnknownTopicException if it does not exist
     */
    public void deleteTopic(String name) {
        store.delete(name);
    }

    /** What opening the log validated, dropped and rebuilt. */
    public RecoveryReport recoveryReport() {
        return store.recoveryReport();
    }

    /** Runs retention and compaction now with the configured clock; returns segments deleted and records removed. */
    public MaintenanceResult runMaintenance() {
        return store.runMaintenance();
    }

    /** Flushes everything, writes recovery points and marks the shutdown clean, then releases the directory. */
    @Override
    public void close() {
        maintenance.shutdown();
        try {
            maintenance.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    private void schedule(LogConfig config, String what, long periodMs, Runnable task) {
        maintenance.scheduleWithFixedDelay(
                () -> {
                    try {
                        task.run();
                    } catch (LogStorageException e) { // says what and what to do: no stack trace
                        config.errorHandler().accept(what + " failed: " + e.getMessage(), null);
                    } catch (RuntimeException e) {
                        config.errorHandler().accept(what + " failed", e);
                    }
                },
                periodMs,
                periodMs,
                TimeUnit.MILLISECONDS);
    }
}
