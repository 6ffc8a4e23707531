package dev.sluice.app.pipeline;

import dev.sluice.app.cli.Output;
import dev.sluice.app.cli.StopSignal;
import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.stream.runtime.Metrics;
import dev.sluice.stream.runtime.PipelinePlan;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice run FILE}: runs a pipeline until Ctrl-C (or, with {@code --until-done}, until its sources are finished
 * and everything is delivered), showing live progress, then stops cleanly and prints a summary.
 */
@Command(
        name = "run",
        description = "Run a pipeline: sources, stages and sinks, until Ctrl-C.",
        mixinStandardHelpOptions = true)
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The pipeline YAML file.")
    Path file;

    @Option(
            names = "--until-done",
            description = "Run as a bounded job: once the sources are finished, every stage reads what is left, closes"
                    + " its windows (the last one too) and delivers every result; then stop.")
    boolean untilDone;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "With --until-done: give up after this long (default: 10m).")
    String timeout;

    @Option(
            names = "--without-sources",
            description = "Run only the stages and sinks: for the extra processes of a pipeline scaled out on Kafka,"
                    + " so its sources run once.")
    boolean withoutSources;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            description = "How often stages with state (windows) checkpoint it (default: 5s). A restart reads again"
                    + " what came after the last checkpoint.")
    String checkpointInterval;

    @Option(
            names = "--http",
            paramLabel = "[HOST:]PORT",
            description =
                    "Serve GET /stages (counters) and GET /stages/NAME/state?key=K (a window's current results for"
                            + " a key) on this port (127.0.0.1 unless a host is given).")
    String http;

    @Option(
            names = "--stop-timeout",
            paramLabel = "DURATION",
            description = "On SIGTERM or Ctrl-C: how long the pipeline may take to finish what it is doing and"
                    + " commit (default: 30s); after that the process exits anyway.")
    String stopTimeout;

    @Option(names = "--quiet", description = "No live progress; only the summary.")
    boolean quiet;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PipelineSpec pipeline = PipelineFiles.load(file);
        RuntimeOptions options = runtimeOptions();
        if (withoutSources) {
            pipeline = new PipelineSpec(
                    pipeline.name(),
                    pipeline.broker(),
                    pipeline.topics(),
                    java.util.List.of(),
                    pipeline.stages(),
                    pipeline.brokerOptions());
        }
        String url = PipelineFiles.brokerUrl(spec, pipeline, file);
        Duration stopTimeout = stopTimeout();
        long timeoutMs = timeoutMs();
        long started = System.nanoTime();
        Broker broker = Brokers.open(url, pipeline.brokerOptions());
        PipelineRun run;
        try {
            run = PipelineRun.start(pipeline, broker, options);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        try (StopSignal signal =
                StopSignal.install(run::stop, stopTimeout, spec.commandLine().getErr())) {
            return runUntilStopped(pipeline, url, run, broker, started, timeoutMs);
        }
    }

    /** Runs until the pipeline is done, stopped or failed; then stops it, prints the summary and says how it ended. */
    private int runUntilStopped(
            PipelineSpec pipeline, String url, PipelineRun run, Broker broker, long started, long timeoutMs)
            throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StateServer server = null;
        if (http != null) {
            try {
                server = StateServer.start(http, run);
            } catch (IllegalArgumentException e) {
                run.stop();
                broker.close();
                throw new dev.sluice.app.cli.UserErrors.UserException(e.getMessage());
            }
        }
        ProgressView view = new ProgressView(err, run, !quiet && !json);
        if (!json) {
            err.printf("Running pipeline %s on %s (Ctrl-C stops it cleanly)%n", pipeline.name(), url);
            if (server != null) {
                err.printf(
                        "Serving http://%s/stages and /stages/NAME/state?key=K%n",
                        http.contains(":") ? http : "127.0.0.1:" + http);
            }
            err.flush();
        }
        long deadline = System.nanoTime() + Duration.ofMillis(timeoutMs).toNanos();
        boolean done = false;
        while (!run.isStopped() && run.failure() == null) {
            view.update();
            if (untilDone && run.awaitEnd(Duration.ofMillis(500))) {
                done = true;
                break;
            }
            if (untilDone && System.nanoTime() > deadline) {
                break;
            }
            if (!untilDone) {
                Thread.sleep(500);
            }
        }
        if (server != null) {
            server.close();
        }
        List<String> pending = run.pendingEnd();
        run.stop();
        view.finish();
        Map<String, Metrics.Snapshot> metrics = run.metrics();
        Map<String, Long> lags = new LinkedHashMap<>();
        for (PipelinePlan.StagePlan s : run.plan().stages()) {
            lags.put(s.spec().name(), run.lag(s.spec().name()));
        }
        broker.close();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (json) {
            out.println(Output.json(Summary.json(pipeline, metrics, lags, seconds, run.failure(), untilDone && !done)));
        } else {
            Summary.print(out, run.plan(), metrics, lags, seconds, url);
        }
        out.flush();
        if (run.failure() != null) {
            err.println("error: " + run.failure());
            err.flush();
            return 1;
        }
        if (untilDone && !done) {
            err.println("error: the pipeline did not finish within " + timeoutMs / 1000 + " s; still running: "
                    + String.join(", ", pending) + ". Raise --timeout, or check the lag above.");
            err.flush();
            return 1;
        }
        return 0;
    }

    private RuntimeOptions runtimeOptions() {
        RuntimeOptions options = RuntimeOptions.defaults(PipelineFiles.baseDir(file));
        return checkpointInterval == null
                ? options
                : options.withCheckpointInterval(
                        duration("--checkpoint-interval", checkpointInterval).toMillis());
    }

    private Duration stopTimeout() {
        return stopTimeout == null ? Duration.ofSeconds(30) : duration("--stop-timeout", stopTimeout);
    }

    private long timeoutMs() {
        return timeout == null ? 600_000 : duration("--timeout", timeout).toMillis();
    }

    /** A duration option's value, above zero, or a user error naming the option. */
    private static Duration duration(String option, String text) {
        long ms;
        try {
            ms = dev.sluice.log.config.Durations.parseMillis(text);
        } catch (IllegalArgumentException e) {
            throw new dev.sluice.app.cli.UserErrors.UserException(
                    option + ": " + e.getMessage() + "; write it as 500ms, 5s or 1m.");
        }
        if (ms <= 0) {
            throw new dev.sluice.app.cli.UserErrors.UserException(
                    option + ": '" + text + "' must be above 0, such as 500ms, 5s or 1m.");
        }
        return Duration.ofMillis(ms);
    }
}
