package dev.sluice.log.internal;

import dev.sluice.log.DataDirectoryException;
import dev.sluice.log.InvalidTopicException;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogStorageException;
import dev.sluice.log.RecoveryReport;
import dev.sluice.log.RecoveryReport.PartitionRecovery;
import dev.sluice.log.Topic;
import dev.sluice.log.TopicExistsException;
import dev.sluice.log.UnknownTopicException;
import dev.sluice.log.config.CleanupPolicy;
import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.io.FileTrees;
import dev.sluice.log.io.Fsync;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The topics of one data directory and their files.
 *
 * <pre>
 *  dataDir/
 *    .lock                 held by the owning process
 *    .clean-shutdown       present only while no process has the log open after a clean close
 *    recovery-points       "topic partition offset" lines: data below is known to be on disk
 *    topics/NAME/topic.properties, topics/NAME/PARTITION/SEGMENT.{log,index,timeindex}
 *    staging/              topics being created (moved into topics/ when complete)
 *    trash/                topics being deleted
 * </pre>
 *
 * Create and delete are serialised; lookups are lock-free.
 */
public final class TopicStore implements AutoCloseable {
    public static final int MAX_PARTITIONS = 10_000;
    private static final String CLEAN_SHUTDOWN = ".clean-shutdown";
    private static final String RECOVERY_POINTS = "recovery-points";
    private static final String TOPIC_FILE = "topic.properties";

    private final LogConfig config;
    private final Path dataDir;
    private final Path topicsDir;
    private final DirectoryLock lock;
    private final Flusher flusher;
    /** A write of the log's own files failed: no recovery points and no clean shutdown are written any more. */
    private volatile boolean storageFailed;

    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final RecoveryReport recoveryReport;
    private volatile boolean closed;

    public TopicStore(LogConfig config) {
        this.config = config;
        this.dataDir = config.dataDir().toAbsolutePath().normalize();
        this.lock = DirectoryLock.acquire(dataDir);
        try {
            this.topicsDir = Files.createDirectories(dataDir.resolve("topics"));
            FileTrees.delete(dataDir.resolve("staging"));
            FileTrees.delete(dataDir.resolve("trash"));
            Path marker = dataDir.resolve(CLEAN_SHUTDOWN);
            boolean clean = Files.deleteIfExists(marker);
            if (clean) {
                Fsync.directory(dataDir);
            }
            this.flusher = new Flusher("sluice-flusher-" + dataDir.getFileName(), config.errorHandler());
            this.recoveryReport = loadTopics(clean);
        } catch (IOException | RuntimeException e) {
            lock.close();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new DataDirectoryException("Cannot open data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    public synchronized Topic create(String name, int partitions, TopicConfig topicConfig) {
        TopicNames.validate(name);
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new InvalidTopicException("Invalid partition count " + partitions + " for topic " + name
                    + ": use a number from 1 to " + MAX_PARTITIONS + ".");
        }
        if (topics.containsKey(name)) {
            throw new TopicExistsException("Topic '" + name + "' already exists with "
                    + topics.get(name).partitionCount() + " partitions.");
        }
        Path staging = dataDir.resolve("staging").resolve(name);
        try {
            FileTrees.delete(staging);
            Files.createDirectories(staging);
            for (int p = 0; p < partitions; p++) {
                Files.createDirectory(staging.resolve(Integer.toString(p)));
            }
            writeTopicFile(staging.resolve(TOPIC_FILE), partitions, topicConfig);
            Path target = topicsDir.resolve(name);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            Fsync.directory(topicsDir);
            Topic topic = open(name, target, false, Map.of(), new ArrayList<>());
            topics.put(name, topic);
            return topic;
        } catch (IOException e) {
            throw new DataDirectoryException(
                    "Cannot create topic " + name + " in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Changes settings of a topic: the others keep their values. The new settings are in its topic file before they
     * take effect.
     *
     * @throws dev.sluice.log.config.InvalidConfigException for an unknown key or a bad value
     */
    public synchronized Topic alter(String name, Map<String, String> changes) {
        Topic topic = get(name);
        Map<String, String> merged = new LinkedHashMap<>(topic.config().toMap());
        merged.putAll(changes);
        TopicConfig updated = TopicConfig.of(merged);
        Path file = topicsDir.resolve(name).resolve(TOPIC_FILE);
        Path next = file.resolveSibling(TOPIC_FILE + ".next");
        try {
            writeTopicFile(next, topic.partitionCount(), updated);
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Fsync.directory(file.getParent());
        } catch (IOException e) {
            throw new DataDirectoryException(
                    "Cannot change the settings of topic " + name + " in " + dataDir + ": " + e.getMessage(), e);
        }
        topic.partitions().forEach(p -> ((DefaultPartitionLog) p).reconfigure(updated));
        Topic altered = new Topic(name, updated, topic.partitions());
        topics.put(name, altered);
        return altered;
    }

    public Optional<Topic> find(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Topic get(String name) {
        Topic t = topics.get(name);
        if (t == null) {
            throw unknown(name);
        }
        return t;
    }

    public UnknownTopicException unknown(String name) {
        String hint = TopicNames.closest(name, topics.keySet())
                .map(c -> " Did you mean '" + c + "'?")
                .orElse("");
        return new UnknownTopicException("Topic '" + name + "' does not exist." + hint);
    }

    /** Topics sorted by name. */
    public List<Topic> all() {
        return topics.values().stream()
                .sorted(Comparator.comparing(Topic::name))
                .toList();
    }

    public synchronized void delete(String name) {
        Topic topic = topics.remove(name);
        if (topic == null) {
            throw unknown(name);
        }
        topic.partitions().forEach(p -> ((DefaultPartitionLog) p).closeForDelete());
        Path trash = dataDir.resolve("trash").resolve(name + "-" + System.nanoTime());
        try {
            Files.createDirectories(trash.getParent());
            Files.move(topicsDir.resolve(name), trash, StandardCopyOption.ATOMIC_MOVE);
            Fsync.directory(topicsDir);
            FileTrees.delete(trash);
        } catch (IOException e) {
            throw new DataDirectoryException("Cannot delete topic " + name + ": " + e.getMessage(), e);
        }
    }

    /** Applies retention and compaction now, with the configured clock. */
    public MaintenanceResult runMaintenance() {
        long now = config.clock().millis();
        int deleted = 0;
        long compactedAway = 0;
        for (Topic topic : all()) {
            for (var p : topic.partitions()) {
                DefaultPartitionLog log = (DefaultPartitionLog) p;
                if (topic.config().cleanupPolicy() == CleanupPolicy.DELETE) {
                    deleted += Retention.apply(log, now);
                } else if (Compactor.isDue(log, now)) {
                    compactedAway += Compactor.compact(log, now).recordsRemoved();
                }
            }
        }
        return new MaintenanceResult(deleted, compactedAway);
    }

    /** Queues an fsync of every partition with {@code flush.policy=interval}. */
    public void flushIntervalTopics(long now) {
        for (Topic topic : all()) {
            if (topic.config().flushPolicy() == dev.sluice.log.config.FlushPolicy.INTERVAL) {
                topic.partitions().forEach(p -> flusher.request((DefaultPartitionLog) p));
            }
        }
    }

    /** Records how far every partition is known to be on disk, bounding re-validation after a crash. */
    public void writeRecoveryPoints() {
        if (storageFailed) {
            return; // the partitions said why already
        }
        List<String> lines = new ArrayList<>();
        for (Topic topic : all()) {
            for (var p : topic.partitions()) {
                lines.add(
                        Checkpoints.key(topic.name(), p.partition()) + " " + ((DefaultPartitionLog) p).recoveryPoint());
            }
        }
        try {
            Checkpoints.write(dataDir.resolve(RECOVERY_POINTS), lines);
        } catch (RuntimeException e) { // the directory is gone or the disk refuses writes: no partition is safe
            storageFailed = true;
            LogStorageException failure = StorageFailures.of("write to the data directory " + dataDir, e);
            for (Topic topic : all()) {
                topic.partitions().forEach(p -> ((DefaultPartitionLog) p).storageFailed(failure));
            }
            throw failure;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            boolean clean = true;
            for (Topic topic : topics.values()) {
                for (var p : topic.partitions()) {
                    clean &= ((DefaultPartitionLog) p).close();
                }
            }
            flusher.close();
            if (!clean || storageFailed) {
                return; // not marked clean: the next open recovers from the last recovery points
            }
            writeRecoveryPoints();
            Path marker = dataDir.resolve(CLEAN_SHUTDOWN);
            Files.write(marker, new byte[0]);
            Fsync.file(marker);
            Fsync.directory(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the log in " + dataDir + " cleanly", e);
        } finally {
            lock.close();
        }
    }

    private RecoveryReport loadTopics(boolean clean) throws IOException {
        Map<String, Long> recoveryPoints = Checkpoints.readOffsets(dataDir.resolve(RECOVERY_POINTS));
        List<PartitionRecovery> reports = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(topicsDir)) {
            for (Path dir : dirs.sorted().toList()) {
                String name = dir.getFileName().toString();
                topics.put(name, open(name, dir, !clean, recoveryPoints, reports));
            }
        }
        return new RecoveryReport(clean, reports);
    }

    private Topic open(
            String name, Path dir, boolean recover, Map<String, Long> recoveryPoints, List<PartitionRecovery> reports) {
        Path file = dir.resolve(TOPIC_FILE);
        if (!Files.exists(file)) {
            throw new DataDirectoryException("Topic directory " + dir + " has no " + TOPIC_FILE + ". Move the directory"
                    + " out of " + topicsDir + " or restore the file.");
        }
        Properties props = readProperties(file);
        int partitions = Integer.parseInt(props.getProperty("partitions"));
        Map<String, String> overrides = new TreeMap<>();
        props.stringPropertyNames().stream()
                .filter(k -> !k.equals("partitions"))
                .forEach(k -> overrides.put(k, props.getProperty(k)));
        TopicConfig topicConfig = TopicConfig.of(overrides);
        List<DefaultPartitionLog> logs = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            Path partitionDir = dir.resolve(Integer.toString(p));
            try {
                Files.createDirectories(partitionDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            PartitionLoader loader =
                    new PartitionLoader(name, p, partitionDir, topicConfig, config.clock(), config.files());
            logs.add(loader.load(recoveryPoints.getOrDefault(Checkpoints.key(name, p), 0L), !recover, flusher));
            if (recover) {
                reports.add(loader.report());
            } else if (loader.report().indexesRebuilt() > 0) {
                reports.add(loader.report());
            }
        }
        return new Topic(name, topicConfig, logs);
    }

    private static void writeTopicFile(Path file, int partitions, TopicConfig topicConfig) throws IOException {
        Properties props = new Properties();
        props.setProperty("partitions", Integer.toString(partitions));
        topicConfig.toMap().forEach(props::setProperty);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "Sluice topic");
        }
        Fsync.file(file);
    }

    private static Properties readProperties(Path file) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException e) {
            throw new DataDirectoryException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return props;
    }

    /** What a maintenance pass did. */
    public record MaintenanceResult(int segmentsDeleted, long recordsCompactedAway) {}
}
