package dev.sluice.app.bench;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.OffsetReset;
import dev.sluice.broker.Producer;
import dev.sluice.broker.ProducerConfig;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.log.LogSlice;
import dev.sluice.log.PartitionLog;
import dev.sluice.log.Topic;
import dev.sluice.log.record.RecordBatch;
import dev.sluice.log.record.RecordBatchBuilder;
import dev.sluice.log.record.RecordCursor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Measures the embedded log on this machine: append throughput (log API or Producer API, any number of threads, any
 * flush policy), warm read throughput, append-to-poll latency at a fixed rate, and heap use. Each phase works on a
 * fresh topic in the given data directory.
 */
final class LogBench {
    enum Api {
        LOG,
        PRODUCER
    }

    record Settings(
            long records,
            int recordSize,
            int partitions,
            String flush,
            int threads,
            Api api,
            int batchRecords,
            int latencyRate,
            int latencySeconds) {}

    record Latency(double p50Ms, double p99Ms, double p999Ms, double maxMs, long samples) {
        static Latency of(Histogram h) {
            return new Latency(
                    ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)),
                    ms(h.getMaxValue()),
                    h.getTotalCount());
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }

    record Result(
            Settings settings,
            double appendRecordsPerSec,
            double appendMBPerSec,
            Latency appendLatency,
            String appendLatencyUnit,
            double readRecordsPerSec,
            double consumerRecordsPerSec,
            Latency endToEnd,
            long heapUsedBytes,
            long heapPeakBytes,
            long heapMaxBytes) {}

    private final EmbeddedBroker broker;
    private final Settings s;
    private final byte[] value;
    private int topicCounter;

    LogBench(Path dataDir, Settings settings) {
        this.broker = EmbeddedBroker.open(dataDir);
        this.s = settings;
        this.value = new byte[settings.recordSize()];
        new java.util.Random(1).nextBytes(value);
    }

    Result run(LongConsumer progress) throws InterruptedException {
        try (HeapSampler heap = new HeapSampler()) {
            String topic = newTopic();
            Recorder latency = new Recorder(3);
            long start = System.nanoTime();
            if (s.api() == Api.LOG) {
                appendWithLogApi(topic, latency, progress);
            } else {
                appendWithProducers(topic, latency, progress);
            }
            double appendSeconds = (System.nanoTime() - start) / 1e9;
            Histogram appendLatency = latency.getIntervalHistogram();
            double readRate = readWithLogApi(topic);
            double consumerRate = readWithConsumer(topic);
            Latency e2e = s.latencyRate() > 0 ? endToEndLatency() : null;
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long bytes = s.records() * (s.recordSize() + 8L);
            return new Result(
                    s,
                    s.records() / appendSeconds,
                    bytes / appendSeconds / 1e6,
                    Latency.of(appendLatency),
                    s.api() == Api.LOG ? "append call" : "event (send to ack)",
                    readRate,
                    consumerRate,
                    e2e,
                    rt.totalMemory() - rt.freeMemory(),
                    heap.peak(),
                    rt.maxMemory());
        } finally {
            broker.close();
        }
    }

    /** Samples the used heap every 50 ms (garbage not yet collected included) and keeps the highest value. */
    private static final class HeapSampler implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "sluice-bench-heap");
                    t.setDaemon(true);
                    return t;
                });
        private final AtomicLong peak = new AtomicLong();

        HeapSampler() {
            java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            timer.scheduleAtFixedRate(
                    () -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
                    0,
                    50,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        long peak() {
            return peak.get();
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    private String newTopic() {
        String name = "bench-" + (++topicCounter);
        broker.admin().createTopic(new NewTopic(name, s.partitions(), Map.of("flush.policy", s.flush())));
        return name;
    }

    private void appendWithLogApi(String topic, Recorder latency, LongConsumer progress) throws InterruptedException {
        Topic t = broker.log().topic(topic);
        AtomicLong done = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < s.threads(); i++) {
            long share = s.records() / s.threads() + (i < s.records() % s.threads() ? 1 : 0);
            int first = i;
            threads.add(start(() -> {
                RecordBatchBuilder builder = new RecordBatchBuilder(Math.max(1 << 20, s.recordSize() * 2 + 256));
                long left = share;
                int p = first % s.partitions();
                while (left > 0) {
                    builder.reset();
                    long now = System.currentTimeMillis();
                    int n = 0;
                    while (n < left && n < s.batchRecords() && builder.tryAppend(now, null, value, List.of())) {
                        n++;
                    }
                    long t0 = System.nanoTime();
                    t.partition(p).append(builder.build());
                    latency.recordValue(System.nanoTime() - t0);
                    left -= n;
                    progress.accept(done.addAndGet(n));
                    p = (p + 1) % s.partitions();
                }
            }));
        }
        for (Thread th : threads) {
            th.join();
        }
    }

    private void appendWithProducers(String topic, Recorder latency, LongConsumer progress)
            throws InterruptedException {
        AtomicLong done = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < s.threads(); i++) {
            long share = s.records() / s.threads() + (i < s.records() % s.threads() ? 1 : 0);
            threads.add(start(() -> {
                try (Producer producer = broker.producer(ProducerConfig.defaults())) {
                    for (long n = 0; n < share; n++) {
                        var sent = producer.send(topic, new Event(null, value, List.of(), System.currentTimeMillis()));
                        if ((n & 63) == 0) { // sample the latency so that measuring it costs little
                            long t0 = System.nanoTime();
                            sent.whenComplete((r, e) -> latency.recordValue(System.nanoTime() - t0));
                        }
                        if ((n & 0xffff) == 0) {
                            progress.accept(done.addAndGet(Math.min(0x10000, share - n)));
                        }
                    }
                }
            }));
        }
        for (Thread th : threads) {
            th.join();
        }
    }

    /** Reads every partition from its start through the log API, decoding each record's fields in place. */
    private double readWithLogApi(String topic) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 << 20);
        long records = 0;
        long start = System.nanoTime();
        for (PartitionLog p : broker.log().topic(topic).partitions()) {
            long offset = p.logStartOffset();
            while (offset < p.highWatermark()) {
                buffer.clear();
                LogSlice slice = p.read(offset, buffer);
                for (RecordBatch batch : slice.batches()) {
                    RecordCursor c = batch.cursor();
                    while (c.next()) {
                        records += c.valueLength() >= 0 ? 1 : 0;
                    }
                    offset = batch.nextOffset();
                }
            }
        }
        return records / ((System.nanoTime() - start) / 1e9);
    }

    /** Reads every event through the Consumer API (events materialised as objects, CRCs checked). */
    private double readWithConsumer(String topic) {
        long records = 0;
        long start = System.nanoTime();
        try (Consumer c = broker.consumer(ConsumerConfig.defaults().withMaxPollEvents(10_000))) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < s.partitions(); p++) {
                tps.add(new TopicPartition(topic, p));
            }
            c.assign(tps);
            while (records < s.records()) {
                records += c.poll(Duration.ofSeconds(1)).size();
            }
        }
        return records / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * One producer sends at a fixed rate while one consumer polls; latency runs from the moment {@code send} is called
     * to the moment {@code poll} hands the event to the consumer.
     */
    private Latency endToEndLatency() throws InterruptedException {
        String topic = newTopic();
        long total = (long) s.latencyRate() * s.latencySeconds();
        long warmup = Math.min(total / 5, s.latencyRate());
        Histogram histogram = new Histogram(3);
        Semaphore subscribed = new Semaphore(0);
        Thread consumer = start(() -> {
            try (Consumer c = broker.consumer(ConsumerConfig.defaults()
                    .withOffsetReset(OffsetReset.EARLIEST)
                    .withMaxPollEvents(10_000))) {
                List<TopicPartition> tps = new ArrayList<>();
                for (int p = 0; p < s.partitions(); p++) {
                    tps.add(new TopicPartition(topic, p));
                }
                c.assign(tps);
                subscribed.release();
                long seen = 0;
                while (seen < total) {
                    for (ConsumedEvent e : c.poll(Duration.ofSeconds(1))) {
                        long now = System.nanoTime();
                        if (seen++ >= warmup) {
                            histogram.recordValue(
                                    Math.max(0, now - ByteBuffer.wrap(e.value()).getLong()));
                        }
                    }
                }
            }
        });
        subscribed.acquire();
        long interval = 1_000_000_000L / s.latencyRate();
        try (Producer producer = broker.producer()) {
            long start = System.nanoTime();
            for (long n = 0; n < total; n++) {
                long due = start + n * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) { // never spin: a busy pacing thread would steal a core from the system under test
                    LockSupport.parkNanos(wait);
                }
                byte[] v = new byte[Math.max(8, s.recordSize())];
                ByteBuffer.wrap(v).putLong(System.nanoTime());
                producer.send(topic, new Event(null, v, List.of(), System.currentTimeMillis()));
            }
        }
        consumer.join();
        return Latency.of(histogram);
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r, "sluice-bench");
        t.start();
        return t;
    }
}
