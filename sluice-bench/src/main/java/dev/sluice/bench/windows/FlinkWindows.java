package dev.sluice.bench.windows;

import dev.sluice.bench.LocalFlink;
import dev.sluice.bench.TempDirs;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The aggregation as an Apache Flink 2.x DataStream job in a MiniCluster started once, in this JVM, bound to
 * 127.0.0.1: a bounded {@code DataGeneratorSource} that reads event {@code i} from the shared arrays, a
 * bounded-out-of-orderness watermark strategy on the event time, {@code keyBy} the key, tumbling one-minute event-time
 * windows with an {@code AggregateFunction} count (only the count is kept per key and window; a process window
 * function adds the window end to the single result) and a sink that tallies. Streaming mode, default heap state
 * backend, no checkpoints.
 *
 * <p>The source runs with parallelism 1 (the input is one ordered stream, as for the other engines); the window and
 * sink with {@code -Dflink.parallelism} (default 1). Because {@code keyBy} breaks operator chaining, even at
 * parallelism 1 the source and the window run as two tasks (two threads) connected by in-memory network buffers.
 */
final class FlinkWindows implements WindowEngine {
    private final int parallelism;
    /** Flink's temporary files (web uploads, blobs, spills), deleted on close. */
    private final Path dir;

    private final MiniCluster cluster;

    /** Starts the MiniCluster (one task manager with a slot per parallel window task). */
    FlinkWindows(int parallelism) throws Exception {
        if (parallelism < 1) {
            throw new IllegalArgumentException("flink.parallelism must be at least 1, got " + parallelism);
        }
        this.parallelism = parallelism;
        this.dir = TempDirs.create("flink-windows");
        this.cluster = LocalFlink.cluster(parallelism, dir);
        cluster.start();
    }

    @Override
    public String name() {
        return "Flink";
    }

    @Override
    public String describe() {
        return "Flink 2.3 DataStream job in a MiniCluster started once (not timed), source parallelism 1, window"
                + " parallelism " + parallelism + " (source and window are separate tasks/threads), heap state, no"
                + " checkpoints; timed: job submission to completion (scheduling, deployment, processing, end)";
    }

    @Override
    public Run run(WindowEvents events) throws Exception {
        FlinkFunctions.useInput(events);
        FlinkFunctions.resetTally();
        JobGraph job = jobGraph(events);
        long start = System.nanoTime();
        cluster.executeJobBlocking(job);
        long nanos = System.nanoTime() - start;
        FlinkFunctions.useInput(null);
        return new Run(FlinkFunctions.tally(), nanos);
    }

    private JobGraph jobGraph(WindowEvents events) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(parallelism);
        TypeInformation<Tuple2<String, Long>> type = Types.TUPLE(Types.STRING, Types.LONG);
        DataGeneratorSource<Tuple2<String, Long>> source =
                new DataGeneratorSource<>(new FlinkFunctions.EventAt(), events.size(), type);
        WatermarkStrategy<Tuple2<String, Long>> watermarks =
                WatermarkStrategy.<Tuple2<String, Long>>forBoundedOutOfOrderness(
                                Duration.ofMillis(WindowEvents.OUT_OF_ORDER_MS))
                        .withTimestampAssigner((event, previous) -> event.f1);
        env.fromSource(source, watermarks, "events")
                .setParallelism(1)
                .keyBy(new FlinkFunctions.ByKey())
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(WindowEvents.WINDOW_MS)))
                .aggregate(new LocalFlink.Count<>(), new FlinkFunctions.WithWindowEnd())
                .sinkTo(new FlinkFunctions.TallySink(events.closedBound()))
                .name("tally");
        return env.getStreamGraph().getJobGraph();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("The Flink MiniCluster did not stop cleanly: " + e.getMessage(), e);
        } finally {
            TempDirs.delete(dir);
        }
    }
}
