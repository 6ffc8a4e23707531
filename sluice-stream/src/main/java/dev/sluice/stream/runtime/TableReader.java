package dev.sluice.stream.runtime;

import dev.sluice.broker.Broker;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.WakeupException;
import dev.sluice.stream.join.TableSource;
import dev.sluice.stream.join.VersionedTable;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.json.JsonException;
import dev.sluice.stream.step.FieldPath;
import dev.sluice.stream.step.StepException;
import dev.sluice.stream.step.Timestamps;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a {@link VersionedTable} up to date from its topic, on a thread of its own: reads every partition from the
 * beginning (no consumer group, nothing committed: the topic is the table's state), says when it has read up to the
 * end offsets it found at the start (after the run's sources that write the topic published what they had then), and follows the topic from then on. An event whose value is not a JSON object
 * (or whose time field holds no time) is skipped with a warning naming it; a null or empty value deletes the key.
 * The table is written by this thread only.
 */
final class TableReader implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.sluice.stream.table");

    private final Broker broker;
    private final TableSource source;
    private final FieldPath timeField;
    private final TaskSupervisor supervisor;
    /** Whether the run's sources that write the topic have published what their input held at the start. */
    private final java.util.function.BooleanSupplier sourcesCaughtUp;

    private final VersionedTable table;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile Consumer consumer;
    private volatile RuntimeException failure;
    private volatile boolean running = true;
    private long skipped;

    TableReader(
            Broker broker,
            TableSource source,
            TaskSupervisor supervisor,
            java.util.function.BooleanSupplier sourcesCaughtUp) {
        this.broker = broker;
        this.source = source;
        this.sourcesCaughtUp = sourcesCaughtUp;
        this.timeField = source.timeField() == null ? null : FieldPath.of(source.timeField());
        this.supervisor = supervisor;
        this.table = new VersionedTable(source.historyMs());
    }

    /** Waits until the table holds the topic up to the end it had when reading began. */
    VersionedTable awaitLoaded() throws InterruptedException {
        loaded.await();
        if (failure != null) {
            throw failure;
        }
        return table;
    }

    @Override
    public void run() {
        try (Consumer c = broker.consumer(ConsumerConfig.defaults().withReadCommitted(true))) {
            consumer = c;
            if (!running) {
                return;
            }
            List<TopicPartition> partitions = broker.admin().describeTopic(source.topic()).partitions().stream()
                    .map(p -> new TopicPartition(source.topic(), p.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            awaitSources();
            Map<TopicPartition, Long> ends = new HashMap<>(broker.admin().endOffsets(partitions));
            while (running) {
                for (ConsumedEvent e : c.poll(Duration.ofMillis(200))) {
                    apply(e);
                }
                if (loaded.getCount() > 0) {
                    ends.entrySet().removeIf(end -> c.position(end.getKey()) >= end.getValue());
                    if (ends.isEmpty()) {
                        LOG.log(
                                System.Logger.Level.DEBUG,
                                "table " + source.topic() + " loaded: " + table.size() + " keys");
                        loaded.countDown();
                    }
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            failure = new IllegalStateException("reading table '" + source.topic() + "' failed: " + e.getMessage(), e);
            if (loaded.getCount() == 0) {
                supervisor.failed("table " + source.topic(), e);
            }
        } finally {
            if (failure == null && loaded.getCount() > 0) {
                failure = new IllegalStateException("the run stopped before table '" + source.topic() + "' was read");
            }
            loaded.countDown();
        }
    }

    /** Waits until the run's sources that write the table have published what they had at the start. */
    private void awaitSources() {
        boolean said = false;
        while (running && !sourcesCaughtUp.getAsBoolean()) {
            if (!said) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "table " + source.topic() + ": waiting for the pipeline's sources that write it to publish what"
                                + " they had at the start before loading it");
                said = true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void apply(ConsumedEvent e) {
        String key = e.keyAsString();
        if (key == null) {
            skip(e, "it has no key (the key is the row's key)");
            return;
        }
        if (e.value() == null || e.value().length == 0) {
            table.put(key, e.timestamp(), null);
            return;
        }
        Map<String, Object> row;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> copy = (Map<String, Object>) Json.deepCopy(Json.parseObject(e.value()));
            row = Collections.unmodifiableMap(copy);
        } catch (JsonException x) {
            skip(e, "its value is not a JSON object: " + x.getMessage());
            return;
        }
        long time = e.timestamp();
        if (timeField != null) {
            try {
                time = Timestamps.parse(timeField.get(row)).toEpochMilli();
            } catch (StepException x) {
                skip(e, "table-time field '" + timeField + "': " + x.getMessage());
                return;
            }
        }
        table.put(key, time, row);
    }

    private void skip(ConsumedEvent e, String reason) {
        skipped++;
        if (skipped == 1 || skipped % 10_000 == 0) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "table " + source.topic() + ": skipped the event at " + e.topic() + "/" + e.partition() + "/"
                            + e.offset() + " because " + reason + " (" + skipped + " skipped so far)");
        }
    }

    void stop() {
        running = false;
        Consumer c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
