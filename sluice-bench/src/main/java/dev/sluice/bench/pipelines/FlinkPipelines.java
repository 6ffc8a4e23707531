package dev.sluice.bench.pipelines;

import dev.sluice.bench.LocalFlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * W1 and W2 as Apache Flink 2.3 DataStream jobs, run in this process on a MiniCluster (one task manager, a slot per
 * parallel task, everything bound to 127.0.0.1), in STREAMING runtime mode over a bounded {@code FileSource}: the job
 * ends when the file is read, and the final watermark then closes every window, the last ones too. No checkpoints,
 * default heap state backend, default object reuse (off).
 *
 * <ul>
 *   <li>W1: {@code FileSource} text lines (one split: a text file is read by one source task) -> rebalance -> parse
 *       (Jackson tree) -> filter bots -> the four fields as a JSON line -> {@code FileSink} (row format), parallelism
 *       {@code P} after the source.
 *   <li>W2: the same source -> rebalance -> parse (page, user, event time) -> bounded-out-of-orderness watermarks (5 s)
 *       -> two branches: {@code keyBy(page)} and {@code keyBy(user)}, each {@code TumblingEventTimeWindows} of one
 *       minute with an incremental count -> a JSON line per key and window -> a {@code FileSink} each.
 * </ul>
 *
 * <p>Arguments: {@code w1|w2 INPUT OUTPUT_DIR PARALLELISM TMP_DIR}. Prints the job's own time (submission to end, in
 * seconds) as the only line on standard output.
 */
public final class FlinkPipelines {
    private FlinkPipelines() {}

    public static void main(String[] args) throws Exception {
        String workload = args[0];
        Path input = Path.of(args[1]);
        Path out = Path.of(args[2]);
        int parallelism = Integer.parseInt(args[3]);
        Path tmp = Files.createDirectories(Path.of(args[4]));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(parallelism);
        DataStream<String> lines = env.fromSource(
                        FileSource.forRecordStreamFormat(new TextLineInputFormat(), flinkPath(input))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "clicks")
                .setParallelism(1)
                .rebalance();
        switch (workload) {
            case "w1" -> w1(lines, out);
            case "w2" -> w2(lines, out);
            default -> throw new IllegalArgumentException("workload must be w1 or w2, got " + workload);
        }
        MiniCluster cluster = LocalFlink.cluster(parallelism, tmp);
        try {
            cluster.start();
            long start = System.nanoTime();
            cluster.executeJobBlocking(env.getStreamGraph().getJobGraph());
            System.out.printf("%.3f%n", (System.nanoTime() - start) / 1e9);
        } finally {
            cluster.close();
        }
    }

    private static void w1(DataStream<String> lines, Path out) {
        lines.map(new FlinkClicks.ParseW1())
                .name("parse")
                .filter(new FlinkClicks.NotBot())
                .name("drop bots")
                .map(new FlinkClicks.KeepFour())
                .name("keep four fields")
                .sinkTo(fileSink(out.resolve("clicks")))
                .name("files");
    }

    private static void w2(DataStream<String> lines, Path out) {
        DataStream<Tuple3<String, String, Long>> clicks = lines.map(new FlinkClicks.ParseW2())
                .name("parse")
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<Tuple3<String, String, Long>>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                                .withTimestampAssigner((click, previous) -> click.f2))
                .name("event time");
        clicks.keyBy(new FlinkClicks.ByPage())
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .aggregate(new LocalFlink.Count<>(), new FlinkClicks.ResultLine("page"))
                .name("per page")
                .sinkTo(fileSink(out.resolve("pages")))
                .name("page files");
        clicks.keyBy(new FlinkClicks.ByUser())
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .aggregate(new LocalFlink.Count<>(), new FlinkClicks.ResultLine("user_id"))
                .name("per user")
                .sinkTo(fileSink(out.resolve("users")))
                .name("user files");
    }

    private static FileSink<String> fileSink(Path dir) {
        return FileSink.forRowFormat(flinkPath(dir), new SimpleStringEncoder<String>("UTF-8"))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .build();
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path path) {
        return new org.apache.flink.core.fs.Path(path.toAbsolutePath().toUri());
    }
}
