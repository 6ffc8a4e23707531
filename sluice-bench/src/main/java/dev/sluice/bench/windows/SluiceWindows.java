package dev.sluice.bench.windows;

import dev.sluice.broker.KeyPartitioner;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.step.StatefulStep;
import dev.sluice.stream.step.StepContext;
import dev.sluice.stream.step.Steps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Sluice's {@code window} step, created and driven through its public API as a stage task drives it: every event goes
 * through {@code apply} as a record with the fields {@code user} and {@code ts}, and {@code onTime} runs every
 * {@link #TIMER_EVERY} events (that is when windows close) and once after the last event. Every {@link
 * #CHECKPOINT_EVERY_MS}, as a task's checkpoints do, the changes of its state are taken on the task's thread and encoded
 * as changelog entries on a writer thread of its own, then dropped: no broker, no changelog topic. With one task the step runs on the calling thread; with more, the events are split by key as
 * the key partitioner splits a topic into partitions (outside the timed part: producers and the broker do that before
 * a stage reads them), and each partition's events go through a step of their own on a thread of their own, as the
 * tasks of a stage do.
 */
final class SluiceWindows implements WindowEngine {
    /** Events between two calls of {@code onTime}, as a task calls it after each poll. */
    static final int TIMER_EVERY = 10_000;
    /** The runtime's default checkpoint interval. */
    static final long CHECKPOINT_EVERY_MS = 5_000;

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

    private final int tasks;

    SluiceWindows(int tasks) {
        this.tasks = tasks;
    }

    @Override
    public String name() {
        return tasks == 1 ? "Sluice" : "Sluice x" + tasks;
    }

    @Override
    public String describe() {
        return "window step through Steps.create/apply/onTime (onTime every " + TIMER_EVERY + " events; changes taken"
                + " every " + CHECKPOINT_EVERY_MS / 1000 + " s and encoded on a writer thread, as checkpoints do), "
                + (tasks == 1
                        ? "on the calling thread"
                        : tasks + " tasks on " + tasks + " threads, events split by key partition beforehand")
                + "; timed: feeding every event and the last onTime";
    }

    @Override
    public Run run(WindowEvents events) throws InterruptedException {
        int[][] partitions = split(events);
        Results[] results = new Results[tasks];
        Thread[] threads = new Thread[tasks];
        for (int t = 0; t < tasks; t++) {
            results[t] = new Results(events.closedBound());
            int[] mine = partitions[t];
            Results out = results[t];
            threads[t] = new Thread(() -> feed(events, mine, out), "window-task-" + t);
        }
        long start = System.nanoTime();
        if (tasks == 1) {
            threads[0].run();
        } else {
            for (Thread t : threads) {
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        long nanos = System.nanoTime() - start;
        long count = 0;
        long sum = 0;
        for (Results r : results) {
            count += r.count;
            sum += r.sum;
        }
        return new Run(new WindowTally(count, sum, 0), nanos);
    }

    /** The indexes of the events of each task, split by the key partitioner (all of them for one task). */
    private int[][] split(WindowEvents events) {
        int n = events.size();
        int[] partitionOf = new int[n];
        int[] sizes = new int[tasks];
        for (int i = 0; i < n; i++) {
            partitionOf[i] =
                    tasks == 1 ? 0 : KeyPartitioner.partition(events.key(i).getBytes(StandardCharsets.UTF_8), tasks);
            sizes[partitionOf[i]]++;
        }
        int[][] out = new int[tasks][];
        for (int t = 0; t < tasks; t++) {
            out[t] = new int[sizes[t]];
        }
        int[] filled = new int[tasks];
        for (int i = 0; i < n; i++) {
            out[partitionOf[i]][filled[partitionOf[i]]++] = i;
        }
        return out;
    }

    private static void feed(WindowEvents events, int[] indexes, Results results) {
        StatefulStep step = (StatefulStep) Steps.create(
                new StepSpec("window", WINDOW, Location.DSL),
                new StepContext(Path.of("."), Clock.systemUTC()).forScope("bench.windows"));
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            feed(events, indexes, results, step, writer);
        } finally {
            writer.shutdown();
            step.close();
        }
    }

    private static void feed(
            WindowEvents events, int[] indexes, Results results, StatefulStep step, ExecutorService writer) {
        Future<?> writing = CompletableFuture.completedFuture(null);
        long lastCheckpoint = System.currentTimeMillis();
        for (int j = 0; j < indexes.length; j++) {
            int i = indexes[j];
            long time = events.time(i);
            // the one map of fields a deserializer makes (StreamRecord.ofFields would copy a second)
            Map<String, Object> fields = new LinkedHashMap<>(4);
            fields.put("user", events.key(i));
            fields.put("ts", time);
            step.apply(new StreamRecord(null, fields, List.of(), time, null), results);
            if ((j + 1) % TIMER_EVERY == 0) {
                long now = System.currentTimeMillis();
                step.onTime(now, results);
                if (now - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
                    lastCheckpoint = now;
                    join(writing); // as a task waits for its last checkpoint before it starts the next
                    StatefulStep.StateChanges changes = step.changes(StatefulStep.NO_PARTITION);
                    writing = writer.submit(() -> changes.forEach((k, v) -> {})); // encodes them, as a checkpoint
                }
            }
        }
        step.onTime(System.currentTimeMillis(), results);
        join(writing);
    }

    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("encoding the changes failed", e.getCause());
        }
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
