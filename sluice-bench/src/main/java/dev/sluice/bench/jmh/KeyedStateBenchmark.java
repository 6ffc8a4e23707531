package dev.sluice.bench.jmh;

import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.state.ValueState;
import dev.sluice.stream.state.internal.DiskStore;
import dev.sluice.stream.state.internal.KeyedStateBackend;
import dev.sluice.stream.state.internal.MemoryStore;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A keyed function's state, one thread: a counter per key ({@code ValueState<Long>}: read, add one, write back, as JSON)
 * for random keys out of {@code keys}, with the changes taken for a checkpoint every 100,000 updates. On the heap
 * ({@code memory}) and in an MVStore file with a 64 MB page cache ({@code disk}); the heap is capped at 512 MB, so with
 * 3,000,000 keys the state does not fit on the heap (see docs/benchmarks.md). Score: updates per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m"})
public class KeyedStateBenchmark {
    private static final TopicPartition PARTITION = new TopicPartition("clicks", 0);

    @Param({"memory", "disk"})
    public String store;

    @Param({"1000000"})
    public int keys;

    private KeyedStateBackend backend;
    private ValueState<Long> count;
    private final SplittableRandom random = new SplittableRandom(7);
    private long updates;

    @Setup(Level.Trial)
    public void open() {
        backend = new KeyedStateBackend(store.equals("disk") ? () -> new DiskStore(64) : MemoryStore::new);
        count = backend.value("count", Long.class);
        for (int k = 0; k < keys; k++) { // every key has state before the measurement
            backend.select(PARTITION, "user-" + k);
            count.update(1L);
            if (k % 100_000 == 0) {
                backend.takeChanges(PARTITION);
            }
        }
        backend.takeChanges(PARTITION);
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
    }

    @Benchmark
    public long increment() {
        backend.select(PARTITION, "user-" + random.nextInt(keys));
        Long n = count.value();
        count.update(n == null ? 1 : n + 1);
        if (++updates % 100_000 == 0) {
            backend.takeChanges(PARTITION);
        }
        return updates;
    }
}
