package dev.sluice.app.bench;

import dev.sluice.app.cli.BrokerOptions;
import dev.sluice.app.cli.Output;
import dev.sluice.app.cli.Progress;
import dev.sluice.app.cli.UserErrors.UserException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice bench log}. */
@Command(
        name = "log",
        description =
                "Append and read throughput, append latency, append-to-poll latency and heap use of the embedded log.",
        mixinStandardHelpOptions = true)
public final class LogBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--records",
            defaultValue = "5000000",
            description = "Records to append (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(
            names = "--record-size",
            defaultValue = "100",
            description = "Value bytes per record (default: ${DEFAULT-VALUE}).")
    int recordSize;

    @Option(
            names = "--partitions",
            defaultValue = "1",
            description = "Partitions of the topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--flush",
            defaultValue = "os",
            description = "Flush policy: os, interval or always (default: ${DEFAULT-VALUE}).")
    String flush;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "Appending threads; with --api producer, one producer each (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--api",
            defaultValue = "producer",
            description =
                    "log (batches straight into the log) or producer (the Producer API) (default: ${DEFAULT-VALUE}).")
    String api;

    @Option(
            names = "--batch-records",
            defaultValue = "1000000",
            description =
                    "With --api log: records per appended batch, at most what fits in 1 MiB (default: as many as fit). 1 means one append, and one fsync with --flush always, per record.")
    int batchRecords;

    @Option(
            names = "--latency-rate",
            defaultValue = "0",
            description = "Also measure append-to-poll latency at this many records/s (0: skip).")
    int latencyRate;

    @Option(
            names = "--latency-seconds",
            defaultValue = "10",
            description = "Duration of the latency run (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        LogBench.Api chosenApi = switch (api.toLowerCase(Locale.ROOT)) {
            case "log" -> LogBench.Api.LOG;
            case "producer" -> LogBench.Api.PRODUCER;
            default -> throw new UserException("Unknown --api '" + api + "': use log or producer.");
        };
        if (!flush.matches("os|interval|always")) {
            throw new UserException("Unknown --flush '" + flush + "': use os, interval or always.");
        }
        if (records < 1 || recordSize < 8 || partitions < 1 || threads < 1 || batchRecords < 1) {
            throw new UserException("--records, --partitions, --threads and --batch-records must be positive and"
                    + " --record-size at least 8.");
        }
        LogBench.Settings settings = new LogBench.Settings(
                records, recordSize, partitions, flush, threads, chosenApi, batchRecords, latencyRate, latencySeconds);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String given = BrokerOptions.of(spec).dataDirectory();
        boolean temporary = given == null; // by default, a temporary directory deleted afterwards
        Path dir = temporary ? Files.createTempDirectory("sluice-bench") : Path.of(given);
        if (!json) {
            out.printf(
                    "sluice bench log: %s records of %d B, %d partition%s, flush=%s, api=%s, %d thread%s%n",
                    Output.count(records),
                    recordSize,
                    partitions,
                    partitions == 1 ? "" : "s",
                    flush,
                    api.toLowerCase(Locale.ROOT),
                    threads,
                    threads == 1 ? "" : "s");
            out.flush();
        }
        LogBench.Result result;
        try {
            Progress progress = new Progress(err, "appended", records);
            result = new LogBench(dir, settings).run(progress::update);
            progress.done();
        } finally {
            if (temporary) {
                BenchDirs.delete(dir);
            }
        }
        if (json) {
            out.println(Output.json(result));
        } else {
            print(out, result);
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, LogBench.Result r) {
        out.printf(
                "append   %s records/s  %8.1f MB/s   per %s: p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.1f ms%n",
                rate(r.appendRecordsPerSec()),
                r.appendMBPerSec(),
                r.appendLatencyUnit(),
                r.appendLatency().p50Ms(),
                r.appendLatency().p99Ms(),
                r.appendLatency().p999Ms(),
                r.appendLatency().maxMs());
        out.printf(
                "read     %s records/s (log API, warm)   %s records/s (Consumer API, CRCs checked)%n",
                rate(r.readRecordsPerSec()), rate(r.consumerRecordsPerSec()).trim());
        if (r.endToEnd() != null) {
            out.printf(
                    "latency  append-to-poll at %s records/s: p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.1f ms"
                            + " (%s samples)%n",
                    Output.count(r.settings().latencyRate()),
                    r.endToEnd().p50Ms(),
                    r.endToEnd().p99Ms(),
                    r.endToEnd().p999Ms(),
                    r.endToEnd().maxMs(),
                    Output.count(r.endToEnd().samples()));
        }
        out.printf(
                "heap     %d MiB used after the run, %d MiB at the peak (sampled), %d MiB max%n",
                r.heapUsedBytes() >> 20, r.heapPeakBytes() >> 20, r.heapMaxBytes() >> 20);
    }

    /** "12.34 M" above a million, "123,456" below. */
    static String rate(double perSecond) {
        return perSecond >= 1e6
                ? String.format("%7.2f M", perSecond / 1e6)
                : String.format("%9s", Output.count((long) perSecond));
    }
}
