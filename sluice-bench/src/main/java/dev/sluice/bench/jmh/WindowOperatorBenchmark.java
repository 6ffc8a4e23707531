package dev.sluice.bench.jmh;

import dev.sluice.stream.window.Aggregations;
import dev.sluice.stream.window.WindowOperator;
import dev.sluice.stream.window.Windowing;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The window operator alone, one thread: a tumbling one-minute count by key over 1,000,000 distinct keys, events a
 * millisecond apart in event time (so each window holds 60,000 events over up to 60,000 keys), the watermark advanced
 * every 1,000 events. Score: events per second. The target (1 million events/s end to end on two cores) is for
 * the whole pipeline; this measures the operator's share of it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx2g"})
public class WindowOperatorBenchmark {
    static final int BATCH = 1_000;
    static final int KEYS = 1_000_000;

    private WindowOperator operator;
    private final SplittableRandom random = new SplittableRandom(7);
    private final String[] keys = new String[KEYS];
    private final Map<String, Object> fields = Map.of("n", 1);
    private long time;

    @Setup(Level.Iteration)
    public void open() {
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "key-" + i;
        }
        operator =
                new WindowOperator(new Windowing.Tumbling(60_000), 0, List.of(Aggregations.parse("views", "count()")));
        time = 0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void tumblingCountByKey(Blackhole out) {
        long watermark = time - 1_000;
        for (int i = 0; i < BATCH; i++) {
            operator.add(keys[random.nextInt(KEYS)], time++, fields, watermark, out::consume);
        }
        operator.advance(time - 1_000, out::consume);
    }
}
