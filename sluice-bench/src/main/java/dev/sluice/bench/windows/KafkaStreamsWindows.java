package dev.sluice.bench.windows;

import dev.sluice.bench.TempDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindowedKStream;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The aggregation as a Kafka Streams topology run by {@code TopologyTestDriver}: on the calling thread, no broker.
 * (key, event time) records with a timestamp extractor reading the event time, {@code groupByKey}, one-minute windows
 * with five seconds of grace, {@code count()} into the default store (a RocksDB window store, with its changelog), and
 * only final results, into an output topic. Final results come one of two ways ({@link Emit}).
 *
 * <p>The driver commits after every record, as it always does (a real application commits every 30 s by default),
 * and keeps what the topology produces, output and changelog topics alike, in memory until read: the output and the
 * changelogs are read every {@link #TICK_EVERY} events.
 */
final class KafkaStreamsWindows implements WindowEngine {
    /** Events between two reads of the output, and two steps of the driver's wall clock. */
    static final int TICK_EVERY = 10_000;

    private static final String INPUT = "events";
    private static final String OUTPUT = "window-counts";
    /** How far the driver's wall clock moves each tick: the default throttle of on-window-close emission. */
    private static final Duration TICK = Duration.ofSeconds(1);

    /** How the topology emits final results. */
    enum Emit {
        /**
         * {@code windowedBy(...).emitStrategy(EmitStrategy.onWindowClose())} (Kafka Streams 3.3+): the window store
         * is scanned for closed windows at most once per second of wall-clock time, when a record comes; here the
         * driver's clock moves one second every {@link #TICK_EVERY} events and before the last one, as Sluice's
         * {@code onTime} runs.
         */
        ON_WINDOW_CLOSE,
        /**
         * {@code count().suppress(untilWindowCloses(unbounded()))}: every update goes into the suppression buffer,
         * which emits a window once stream time passes its end and grace. With the driver's commit after every
         * record this is very slow once a window with many keys has closed: the buffer's commit walks a set of dirty
         * keys whose capacity grew to the number of keys evicted at once (about a million at the default size).
         */
        SUPPRESS
    }

    private final Emit emit;

    KafkaStreamsWindows(Emit emit) {
        this.emit = emit;
    }

    @Override
    public String name() {
        return "Kafka Streams";
    }

    @Override
    public String describe() {
        String how = emit == Emit.SUPPRESS
                ? "suppress(untilWindowCloses)"
                : "emitStrategy(onWindowClose) (wall clock moved 1 s every " + TICK_EVERY + " events)";
        return "Kafka Streams topology in TopologyTestDriver on the calling thread (no broker; the driver commits after"
                + " every record), default RocksDB window store (with record cache and changelog), " + how
                + "; timed: piping every"
                + " event (serialized, as from a topic) and reading the output and changelogs";
    }

    @Override
    public Run run(WindowEvents events) {
        Path dir = TempDirs.create("kstreams-windows");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(), properties(dir))) {
            TestInputTopic<String, Long> input =
                    driver.createInputTopic(INPUT, new StringSerializer(), new LongSerializer());
            TestOutputTopic<Windowed<String>, Long> output = driver.createOutputTopic(
                    OUTPUT,
                    WindowedSerdes.timeWindowedSerdeFrom(String.class, WindowEvents.WINDOW_MS)
                            .deserializer(),
                    new LongDeserializer());
            Drain drain = new Drain(driver, output, events.closedBound());
            int n = events.size();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (i == n - 1 && emit == Emit.ON_WINDOW_CLOSE) {
                    driver.advanceWallClockTime(TICK); // so the last event checks for closed windows
                }
                input.pipeInput(events.key(i), events.time(i));
                if ((i + 1) % TICK_EVERY == 0) {
                    drain.run();
                    driver.advanceWallClockTime(TICK);
                }
            }
            drain.run();
            long nanos = System.nanoTime() - start;
            return new Run(new WindowTally(drain.results, drain.sum, 0), nanos);
        } finally {
            TempDirs.delete(dir);
        }
    }

    private Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        TimeWindowedKStream<String, Long> windowed = builder.stream(
                        INPUT,
                        Consumed.with(Serdes.String(), Serdes.Long())
                                .withTimestampExtractor((record, partitionTime) -> (Long) record.value()))
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(
                        Duration.ofMillis(WindowEvents.WINDOW_MS), Duration.ofMillis(WindowEvents.OUT_OF_ORDER_MS)));
        KTable<Windowed<String>, Long> counts = emit == Emit.SUPPRESS
                ? windowed.count().suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
                : windowed.emitStrategy(EmitStrategy.onWindowClose()).count();
        counts.toStream()
                .to(
                        OUTPUT,
                        Produced.with(
                                WindowedSerdes.timeWindowedSerdeFrom(String.class, WindowEvents.WINDOW_MS),
                                Serdes.Long()));
        return builder.build();
    }

    private static Properties properties(Path dir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-windows");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        return p;
    }

    /** Reads the output (tallying closed windows) and empties every other topic the driver holds records of. */
    private static final class Drain {
        private final TopologyTestDriver driver;
        private final TestOutputTopic<Windowed<String>, Long> output;
        private final Map<String, TestOutputTopic<byte[], byte[]>> others = new HashMap<>();
        private final long closedBound;
        long results;
        long sum;

        Drain(TopologyTestDriver driver, TestOutputTopic<Windowed<String>, Long> output, long closedBound) {
            this.driver = driver;
            this.output = output;
            this.closedBound = closedBound;
        }

        void run() {
            while (!output.isEmpty()) {
                TestRecord<Windowed<String>, Long> r = output.readRecord();
                if (r.key().window().end() <= closedBound) {
                    results++;
                    sum += r.value();
                }
            }
            for (String topic : driver.producedTopicNames()) {
                if (!topic.equals(OUTPUT)) {
                    TestOutputTopic<byte[], byte[]> other = others.computeIfAbsent(
                            topic,
                            t -> driver.createOutputTopic(t, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
                    while (!other.isEmpty()) {
                        other.readRecord();
                    }
                }
            }
        }
    }
}
