package dev.sluice.bench.windows;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.step.StatefulStep;
import dev.sluice.stream.step.StepContext;
import dev.sluice.stream.step.Steps;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Sluice's {@code window} step, created and driven through its public API as a stage task drives it: every event goes
 * through {@code apply} as a record with the fields {@code user} and {@code ts}, and {@code onTime} runs every
 * {@link #TIMER_EVERY} events (that is when windows close) and once after the last event. The step runs on the calling
 * thread; no broker, no changelog (no checkpoint is taken).
 */
final class SluiceWindows implements WindowEngine {
    /** Events between two calls of {@code onTime}, as a task calls it after each poll. */
    static final int TIMER_EVERY = 10_000;

    private static final Map<String, Object> WINDOW = Map.of(
            "tumbling",
            "1m",
            "by",
            "user",
            "time",
            "ts",
            "out-of-order",
            WindowEvents.OUT_OF_ORDER_MS / 1000 + "s",
            "aggregate",
            Map.of("n", "count()"));

    @Override
    public String name() {
        return "Sluice";
    }

    @Override
    public String describe() {
        return "window step through Steps.create/apply/onTime on the calling thread (onTime every " + TIMER_EVERY
                + " events); timed: feeding every event and the last onTime";
    }

    @Override
    public Run run(WindowEvents events) {
        StatefulStep step = (StatefulStep) Steps.create(
                new StepSpec("window", WINDOW, Location.DSL),
                new StepContext(Path.of("."), Clock.systemUTC()).forScope("bench.windows"));
        Results results = new Results(events.closedBound());
        int n = events.size();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long time = events.time(i);
            step.apply(StreamRecord.ofFields(Map.of("user", events.key(i), "ts", time), time), results);
            if ((i + 1) % TIMER_EVERY == 0) {
                step.onTime(System.currentTimeMillis(), results);
            }
        }
        if (n % TIMER_EVERY != 0) {
            step.onTime(System.currentTimeMillis(), results);
        }
        long nanos = System.nanoTime() - start;
        step.close();
        return new Run(new WindowTally(results.count, results.sum, 0), nanos);
    }

    /** Counts the results of closed windows; a result's timestamp is its window's end minus one millisecond. */
    private static final class Results implements Consumer<StreamRecord> {
        private final long closedBound;
        long count;
        long sum;

        Results(long closedBound) {
            this.closedBound = closedBound;
        }

        @Override
        public void accept(StreamRecord r) {
            if (r.timestamp() + 1 <= closedBound) {
                count++;
                sum += ((Number) r.fields().get("n")).longValue();
            }
        }
    }
}
