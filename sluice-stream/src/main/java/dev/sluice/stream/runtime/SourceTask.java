package dev.sluice.stream.runtime;

import dev.sluice.broker.Event;
import dev.sluice.broker.Producer;
import dev.sluice.broker.SendResult;
import dev.sluice.stream.connector.Source;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one source on its own thread: poll a batch, publish it, and poll the next while the broker acknowledges the
 * earlier ones (at most {@value #MAX_IN_FLIGHT} batches unacknowledged). The position of a batch is stored only after
 * it and every batch before it were acknowledged, so a crash re-publishes at most the batches in flight and loses none.
 * Stops when asked or when the source has nothing more to give, after the last acknowledgement and position.
 */
final class SourceTask implements Runnable {
    /** Batches published but not yet acknowledged; enough to keep generating while the broker appends. */
    static final int MAX_IN_FLIGHT = 4;

    private record InFlight(CompletableFuture<Void> acked, Map<String, Object> position, int events) {}

    private final PipelinePlan.SourcePlan plan;
    private final Producer producer;
    private final SourcePositions positions;
    private final Metrics metrics;
    private final TaskSupervisor supervisor;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private CompletableFuture<?> lastStored = CompletableFuture.completedFuture(null);
    /** The position of the last batch queued to be stored. */
    private Map<String, Object> queued;
    /** The position being stored by {@link #lastStored}, told to the source once stored; null when told. */
    private Map<String, Object> storing;

    private volatile boolean running = true;
    private volatile boolean finished;
    /** The source has published what its input held at the start, and the broker acknowledged it. */
    private volatile boolean caughtUp;
    /** The batch whose acknowledgement makes the source caught up, while it is in flight. */
    private InFlight caughtUpAt;

    SourceTask(
            PipelinePlan.SourcePlan plan,
            Producer producer,
            SourcePositions positions,
            Metrics metrics,
            TaskSupervisor supervisor) {
        this.plan = plan;
        this.producer = producer;
        this.positions = positions;
        this.metrics = metrics;
        this.supervisor = supervisor;
    }

    @Override
    public void run() {
        String pipeline = plan.context().pipeline();
        String name = plan.spec().name();
        try (Source source = plan.connector().create(plan.config(), plan.context())) {
            if (source instanceof Source.Push push) {
                caughtUp = true; // it is handed live events only
                runPush(push);
                return;
            }
            source.open(positions.load(pipeline, name));
            while (running) {
                Source.Batch batch = source.poll(Duration.ofMillis(200));
                if (batch == null) {
                    settle(source, 0);
                    caughtUp = true;
                    finished = true;
                    return;
                }
                if (!batch.events().isEmpty()) {
                    inFlight.add(new InFlight(
                            publish(batch.events()),
                            batch.position(),
                            batch.events().size()));
                    queued = batch.position();
                } else if (inFlight.isEmpty()
                        && batch.position() != null
                        && !batch.position().equals(queued)) {
                    // the position moved without events (a snapshot that ended with an empty table): nothing before
                    // it is unacknowledged, so it can be stored as it is
                    inFlight.add(new InFlight(CompletableFuture.completedFuture(null), batch.position(), 0));
                    queued = batch.position();
                }
                noteCaughtUp(source);
                settle(source, MAX_IN_FLIGHT - 1);
            }
            settle(source, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception
                | Error e) { // an Error too: a task that dies unreported leaves a bounded run waiting forever
            supervisor.failed("source " + name, e);
        }
    }

    private void runPush(Source.Push source) throws Exception {
        source.open(null);
        source.start(new Source.Publisher() {
            @Override
            public CompletableFuture<List<SendResult>> publish(List<Event> events) {
                List<CompletableFuture<SendResult>> sent = new ArrayList<>(events.size());
                for (Event e : events) {
                    sent.add(producer.send(plan.spec().to(), e));
                }
                return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                        .thenApply(v -> {
                            metrics.out.add(events.size());
                            return sent.stream().map(CompletableFuture::join).toList();
                        });
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        });
        while (running) {
            Thread.sleep(100);
        }
    }

    /** Once the source says it has caught up: caught up when what it published until then is acknowledged. */
    private void noteCaughtUp(Source source) {
        if (caughtUp || caughtUpAt != null || !source.caughtUp()) {
            return;
        }
        if (inFlight.isEmpty()) {
            caughtUp = true;
        } else {
            caughtUpAt = inFlight.peekLast();
        }
    }

    private CompletableFuture<Void> publish(List<Event> events) {
        CompletableFuture<?>[] sent = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = producer.send(plan.spec().to(), events.get(i));
        }
        return CompletableFuture.allOf(sent);
    }

    /**
     * Takes acknowledged batches off the front, waiting while more than {@code keepAtMost} are in flight, and stores the
     * position of the last one taken (without waiting, unless nothing may stay in flight).
     *
     * @throws java.util.concurrent.CompletionException if the broker refused a batch or a position
     */
    private void settle(Source source, int keepAtMost) throws Exception {
        Map<String, Object> position = null;
        while (!inFlight.isEmpty()
                && (inFlight.size() > keepAtMost || inFlight.peek().acked().isDone())) {
            InFlight batch = inFlight.poll();
            batch.acked().join();
            if (batch == caughtUpAt) {
                caughtUp = true;
            }
            metrics.out.add(batch.events());
            position = batch.position();
        }
        if (lastStored.isDone()) {
            lastStored.join(); // a position that could not be stored stops the source
            told(source);
        }
        if (position != null) {
            lastStored = positions.store(plan.context().pipeline(), plan.spec().name(), position);
            storing = position;
        }
        if (keepAtMost == 0) {
            lastStored.join();
            told(source);
        }
    }

    private void told(Source source) throws Exception {
        if (storing != null) {
            Map<String, Object> stored = storing;
            storing = null;
            source.stored(stored);
        }
    }

    String name() {
        return plan.spec().name();
    }

    /** Whether the source has published, acknowledged, what its input held at the start ({@link Source#caughtUp}). */
    boolean isCaughtUp() {
        return caughtUp;
    }

    String topic() {
        return plan.spec().to();
    }

    boolean isFinished() {
        return finished;
    }

    void stop() {
        running = false;
    }
}
