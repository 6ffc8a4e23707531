package dev.sluice.bench.jmh;

import dev.sluice.log.PartitionLog;
import dev.sluice.log.config.FlushPolicy;
import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.record.RecordBatch;
import dev.sluice.log.record.RecordBatchBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appends through the log API with {@code flush.policy=os}, one thread: encoding 100-byte records into 1 MiB v2 batches
 * and writing them to the active segment. Score: records per second. Target: at least 10 million records/s; Apache
 * Kafka 4.4 on this machine produces 0.6 to 0.95 million records/s (see docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogAppendBenchmark {
    static final int RECORDS_PER_BATCH = 9_000; // about 1 MiB of 100-byte records

    private LogState state;
    private PartitionLog partition;
    private RecordBatchBuilder builder;
    private final byte[] value = new byte[100];

    @Setup(Level.Iteration)
    public void open() {
        state = new LogState();
        partition = state.log
                .createTopic(
                        "t",
                        1,
                        TopicConfig.builder().flushPolicy(FlushPolicy.OS).build())
                .partition(0);
        builder = new RecordBatchBuilder(RECORDS_PER_BATCH * 120);
    }

    @TearDown(Level.Iteration)
    public void close() {
        state.close();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS_PER_BATCH)
    public long encodeAndAppend() {
        builder.reset();
        long now = System.currentTimeMillis();
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            builder.tryAppend(now, null, value, List.of());
        }
        RecordBatch batch = builder.build();
        return partition.append(batch).lastOffset();
    }
}
