package dev.sluice.stream.runtime;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.RebalanceListener;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.WakeupException;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Backoff;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkException;
import dev.sluice.stream.connector.TransactionalSink;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.step.LateEventException;
import dev.sluice.stream.step.ProgressReport;
import dev.sluice.stream.step.StatefulStep;
import dev.sluice.stream.step.Step;
import dev.sluice.stream.step.StepContext;
import dev.sluice.stream.step.Steps;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * One task of a stage, on its own thread: a member of the stage's consumer group. For each polled batch it runs the
 * steps, delivers the results (to topics through the shared producer, or to its own sink instance), dead-letters what
 * failed, and hands outputs and offsets to its {@link Delivery}: at-least-once (offsets committed after every output
 * is acknowledged) or exactly-once (outputs and offsets in one transaction). A sink
 * that is down is retried with backoff while consumption waits, so memory stays bounded by one batch.
 */
final class StageTask implements Runnable {
    private static final int SINK_ATTEMPTS = 3;
    /** Time between two polls that counts as reading; anything longer, the task stood still. */
    private static final long READING_GAP_MS = 1_000;

    private final PipelinePlan.StagePlan plan;
    private final int index;
    private final Delivery delivery;
    private final Consumer consumer;
    private final Metrics metrics;
    private final Backoff backoff;
    private final Clock clock;
    private final TaskSupervisor supervisor;
    private final StepContext stepContext;
    /** Where and how often the state of its steps is checkpointed, or null for a stage without state. */
    private final CheckpointSettings checkpointing;
    /** How often an exactly-once sink publishes (the checkpoint interval). */
    private final long publishIntervalMs;

    private StateCheckpoints checkpoints;
    /** A batch was left half-delivered (the task was stopped): its state must not be checkpointed. */
    private boolean unfinished;

    private final List<Step> steps = new ArrayList<>();
    private final List<String> stepNames = new ArrayList<>();
    private Sink sink;
    private volatile boolean running = true;
    /**
     * The steps chained once, ending in {@link #outputs}: no allocation per event and step. Entry {@code i} runs step
     * {@code i} and the ones after it; the last entry only collects.
     */
    private final List<java.util.function.Consumer<StreamRecord>> chain = new ArrayList<>();
    /** Steps that keep state over time, with their place in {@link #steps}. */
    private final List<StatefulStep> stateful = new ArrayList<>();
    /** Questions about the state from other threads, answered on the task's thread between batches. */
    private final ConcurrentLinkedQueue<Runnable> queries = new ConcurrentLinkedQueue<>();

    private final List<StreamRecord> outputs = new ArrayList<>();
    /** For a sink that publishes exactly once: its two-phase commits. */
    private SinkPublishing publishing;
    /** The step that is running, so a failure can name it. */
    private int runningStep;
    /** When the last poll returned. */
    private long lastPollAt;
    /** When the stage feeds a by-key topic: the reports of its progress there, else null. */
    private ProgressReports progress;
    /** The input's end offsets now, from the broker. */
    private final Function<Collection<TopicPartition>, Map<TopicPartition, Long>> endOffsets;
    /** The task is closing: a rebalance now (the consumer leaving its group) checkpoints and publishes nothing. */
    private boolean closing;
    /** Set by {@link #endInput}: where the input of a bounded run ends, by partition; null while it has not ended. */
    private volatile Map<TopicPartition, Long> inputEnds;
    /** The partitions whose ended input the task has handled completely (results delivered, state and offsets kept). */
    private volatile Set<TopicPartition> endedPartitions = Set.of();
    /** Whether the task has handled the end of the input of every partition it reads. */
    private volatile boolean ended;

    StageTask(
            PipelinePlan.StagePlan plan,
            int index,
            Delivery delivery,
            Consumer consumer,
            Metrics metrics,
            Backoff backoff,
            Clock clock,
            TaskSupervisor supervisor,
            StepContext stepContext,
            CheckpointSettings checkpointing,
            long publishIntervalMs,
            Function<Collection<TopicPartition>, Map<TopicPartition, Long>> endOffsets) {
        this.plan = plan;
        this.index = index;
        this.delivery = delivery;
        this.consumer = consumer;
        this.metrics = metrics;
        this.backoff = backoff;
        this.clock = clock;
        this.supervisor = supervisor;
        this.stepContext = stepContext;
        this.checkpointing = checkpointing;
        this.publishIntervalMs = publishIntervalMs;
        this.endOffsets = endOffsets;
    }

    /** Reads committed events only, so nothing of an aborted transaction upstream is processed. */
    static ConsumerConfig consumerConfig(PipelinePlan.StagePlan plan) {
        return ConsumerConfig.group(plan.groupId()).withMaxPollEvents(2_000).withReadCommitted(true);
    }

    @Override
    public void run() {
        try {
            open();
            consumer.subscribe(plan.spec().from(), new StatefulPartitions());
            lastPollAt = clock.millis();
            while (running) {
                for (Runnable q = queries.poll(); q != null; q = queries.poll()) {
                    q.run();
                }
                List<ConsumedEvent> events = consumer.poll(Duration.ofMillis(200));
                notePause();
                if (!events.isEmpty()) {
                    delivery.begin();
                    unfinished = !process(events);
                    if (!unfinished) {
                        commit(events);
                    }
                } else {
                    List<StreamRecord> due = stateful.isEmpty() ? List.of() : fireTimers();
                    if (!due.isEmpty() || (progress != null && !ended && progress.due(clock.millis()))) {
                        delivery.begin();
                        unfinished = !deliverAll(due);
                        if (!unfinished) {
                            commit(events);
                        }
                    } else if (delivery.owesCommit()) { // a refused commit, and no batch came after it
                        delivery.begin();
                        delivery.complete(events);
                    }
                }
                if (checkpoints != null && !checkpoints.transactional()) {
                    checkpoints.onBatchBoundary();
                }
                if (publishing != null && !unfinished) {
                    publishing.onBatchBoundary();
                }
                if (inputEnds != null && !unfinished) {
                    handleInputEnd();
                }
            }
            if (checkpoints != null && !checkpoints.transactional()) {
                // a clean stop checkpoints everything, so a restart reads nothing again; a stop in the middle of a
                // batch only lets the checkpoint being written finish
                checkpoints.checkpointNow(unfinished ? List.of() : consumer.assignment());
            }
            if (publishing != null && !unfinished) {
                publishing.commit(); // a clean stop publishes everything written
            }
        } catch (WakeupException e) {
            // stop() woke a blocked poll: nothing half-done to commit
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception
                | Error e) { // an Error too: a task that dies unreported leaves a bounded run waiting forever
            supervisor.failed(
                    (plan.sink() == null ? "stage " : "sink ") + plan.spec().name(), e);
        } finally {
            close();
        }
    }

    private void open() throws Exception {
        StepContext context = stepContext.forScope(
                plan.context().pipeline() + "." + plan.spec().name());
        for (int i = 0; i < plan.spec().steps().size(); i++) {
            StepSpec s = plan.spec().steps().get(i);
            steps.add(Steps.create(s, context));
            stepNames.add((i + 1) + ":" + s.kind());
        }
        for (Step step : steps) {
            step.open();
        }
        java.util.function.Consumer<StreamRecord> next = outputs::add;
        chain.add(next);
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            java.util.function.Consumer<StreamRecord> downstream = next;
            int index = i;
            next = r -> {
                runningStep = index;
                step.apply(r, out -> {
                    downstream.accept(out);
                    runningStep = index;
                });
            };
            chain.add(0, next);
        }
        for (Step step : steps) {
            if (step instanceof StatefulStep s) {
                stateful.add(s);
            }
        }
        if (plan.progress() != null) {
            progress = new ProgressReports(plan.progress(), this::readToEnd, clock.millis());
        }
        if (checkpointing != null && !stateful.isEmpty()) {
            checkpoints = new StateCheckpoints(
                    checkpointing.changelog(),
                    stateful.get(0),
                    consumer,
                    delivery,
                    checkpointing.producer(),
                    clock,
                    checkpointing.intervalMs(),
                    metrics,
                    plan.spec().exactlyOnce());
        }
        if (plan.sink() != null) {
            if (plan.twoPhaseSink()) {
                TransactionalSink ts = plan.sink()
                        .createExactlyOnce(plan.sinkConfig(), plan.context().forTask(index));
                publishing = new SinkPublishing(ts, consumer, clock, publishIntervalMs, metrics);
                sink = ts;
            } else {
                sink = plan.sink().create(plan.sinkConfig(), plan.context().forTask(index));
            }
            sink.open();
        }
    }

    /**
     * Tells the stateful steps how long the task stood still since the last poll (a restore or rebalance inside the
     * poll, a sink it waited for), so that their inputs are not taken for idle because the task did not read them.
     */
    private void notePause() {
        long now = clock.millis();
        long still = now - lastPollAt - READING_GAP_MS;
        lastPollAt = now;
        if (still > 0) {
            stateful.forEach(s -> s.pause(still));
            if (progress != null) {
                progress.pause(still);
            }
        }
    }

    /** Returns false if the task was stopped before the batch was fully delivered (then nothing is committed). */
    private boolean process(List<ConsumedEvent> events) throws InterruptedException {
        List<StreamRecord> forSink = new ArrayList<>();
        java.util.function.Consumer<StreamRecord> first = chain.get(0);
        if (progress != null) {
            progress.beforeBatch(events, delivery, clock.millis());
        }
        for (ConsumedEvent e : events) {
            if (e.value() == null && reportedProgress(e)) {
                continue;
            }
            metrics.in.increment();
            outputs.clear();
            try {
                first.accept(StreamRecord.of(e));
            } catch (LateEventException late) {
                metrics.late.increment();
                delivery.send(
                        late.topic(),
                        DeadLetters.of(e, plan.spec().name(), stepNames.get(runningStep), late, clock.millis()));
                continue;
            } catch (RuntimeException error) {
                deadLetter(e, stepNames.get(runningStep), error);
                continue;
            }
            route(outputs, forSink);
        }
        if (!stateful.isEmpty()) {
            route(fireTimers(), forSink);
        }
        return sink == null || forSink.isEmpty() || deliver(forSink);
    }

    /**
     * Hands a progress report of the stage before a by-key topic to the stateful steps, and returns true; returns false
     * when the event is not one.
     */
    private boolean reportedProgress(ConsumedEvent e) {
        if (!ProgressReports.isReport(e)) {
            return false;
        }
        ProgressReport report = ProgressReports.read(e);
        if (report != null) {
            long now = clock.millis();
            for (StatefulStep s : stateful) {
                s.onProgress(e.topicPartition(), report, now);
            }
        }
        return true;
    }

    /** Sends records to their topics, or adds them to {@code forSink} when the stage ends in a sink. */
    private void route(List<StreamRecord> records, List<StreamRecord> forSink) {
        long now = progress == null || records.isEmpty() ? 0 : clock.millis();
        for (StreamRecord r : records) {
            if (sink != null) {
                forSink.add(r);
            } else {
                if (progress != null && r.origin() != null) {
                    progress.onSent(r.origin().topicPartition(), r.eventTime(), now);
                }
                String topic = r.destination() != null ? r.destination() : plan.outputTopic();
                delivery.send(topic, new Event(r.key(), r.valueBytes(), r.headers(), r.timestamp()));
                metrics.out.increment();
            }
        }
    }

    private boolean deliverAll(List<StreamRecord> records) throws InterruptedException {
        List<StreamRecord> forSink = new ArrayList<>();
        route(records, forSink);
        return forSink.isEmpty() || deliver(forSink);
    }

    /**
     * Lets each stateful step hand over what is due (closed windows) and runs the results through the steps after it.
     * A result a later step fails on is dead-lettered in its own right.
     */
    private List<StreamRecord> fireTimers() {
        long now = clock.millis();
        return fromStatefulSteps((s, out) -> s.onTime(now, out));
    }

    /**
     * Runs what the stateful steps hand over through the steps after each, and returns the results; a result a later
     * step fails on is dead-lettered in its own right.
     */
    private List<StreamRecord> fromStatefulSteps(
            java.util.function.BiConsumer<StatefulStep, java.util.function.Consumer<StreamRecord>> hand) {
        List<StreamRecord> due = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof StatefulStep s) {
                java.util.function.Consumer<StreamRecord> downstream = chain.get(i + 1);
                String name = stepNames.get(i);
                hand.accept(s, r -> {
                    outputs.clear();
                    try {
                        downstream.accept(r);
                        due.addAll(outputs);
                    } catch (RuntimeException error) {
                        deadLetter(DeadLetters.asConsumed(r, name), stepNames.get(runningStep), error);
                    }
                });
            }
        }
        outputs.clear();
        return due;
    }

    /**
     * Hands the batch to the delivery. With exactly-once delivery, every batch's transaction carries a checkpoint of
     * the task's partitions, and when the transaction is aborted the state goes back to the last committed checkpoint
     * with the input.
     */
    private void commit(List<ConsumedEvent> batch) {
        if (progress != null && !ended) { // behind the batch's events in every partition
            progress.sendIfDue(delivery, clock.millis());
        }
        boolean transactional = checkpoints != null && checkpoints.transactional();
        if (transactional) {
            checkpoints.writeInTransaction(consumer.assignment());
        }
        if (!delivery.complete(batch) && transactional) {
            checkpoints.rollBack();
        }
    }

    /**
     * Tells the stateful steps which partitions the task reads, as the group assigns and revokes them: an assigned
     * partition's state is restored from its last checkpoint, and a revoked one's is checkpointed before it goes.
     */
    /** Runs a sink's part of a rebalance; a sink that fails there stops the task (the next owner recovers). */
    private static void settle(SinkAction action) {
        try {
            action.run();
        } catch (SinkException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private interface SinkAction {
        void run() throws SinkException;
    }

    private final class StatefulPartitions implements RebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (progress != null) {
                progress.onAssigned(partitions, clock.millis()); // not quiet before it has read them
            }
            if (publishing != null) {
                settle(() -> publishing.onAssigned(partitions));
            }
            stateful.forEach(s -> s.onAssigned(partitions, clock.millis()));
            if (checkpoints != null) {
                checkpoints.restore(partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (progress != null) {
                progress.onRevoked(partitions);
            }
            if (closing) { // a clean stop checkpointed and published already; after a failure nothing may be
                stateful.forEach(s -> s.onRevoked(partitions));
                return;
            }
            if (publishing != null && !unfinished) {
                settle(publishing::commit); // what was written for these partitions is published before they move
            }
            if (checkpoints != null && !checkpoints.transactional()) {
                checkpoints.checkpointNow(unfinished ? List.of() : partitions);
            }
            stateful.forEach(s -> s.onRevoked(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (progress != null) {
                progress.onRevoked(partitions);
            }
            if (publishing != null && !closing) {
                settle(() -> publishing.onLost(partitions)); // the next owner writes them again
            }
            stateful.forEach(s -> s.onRevoked(partitions)); // the next owner restores the last checkpoint
        }
    }

    /**
     * Writes to the sink, retrying a sink that is down until it comes back (or the task stops), and dead-lettering
     * records the sink refuses or gave up on. Returns false if stopped before the records were written.
     */
    private boolean deliver(List<StreamRecord> records) throws InterruptedException {
        int attempt = 0;
        while (true) {
            try {
                sink.write(records);
                metrics.out.add(records.size());
                metrics.waitingOn.set(null);
                return true;
            } catch (SinkException e) {
                metrics.lastError.set(e.getMessage());
                List<StreamRecord> failed = e.failed(records);
                List<StreamRecord> untried = e.untried();
                int n = records.size();
                if (failed.size() < n && untried.size() < n) { // got part of the way: some written, or failed alone
                    metrics.out.add(n - failed.size() - untried.size());
                    if (!failed.isEmpty() && !deliverFailed(failed, e)) {
                        return false;
                    }
                    if (untried.isEmpty()) {
                        return true;
                    }
                    records = untried; // the rest, as a batch of its own
                    attempt = 0;
                    continue;
                }
                if (e.isUndeliverable()) {
                    return deliverFailed(records, e);
                }
                if (e.isRetriable()) {
                    metrics.retries.increment();
                    metrics.waitingOn.set(e.getMessage());
                    if (!sleep(backoff.delayMs(attempt++))) {
                        return false;
                    }
                } else if (records.size() > 1) {
                    // find the refused ones: write each record on its own
                    for (StreamRecord r : records) {
                        if (!deliver(List.of(r))) {
                            return false;
                        }
                    }
                    return true;
                } else if (++attempt < SINK_ATTEMPTS) {
                    metrics.retries.increment();
                    if (!sleep(backoff.delayMs(attempt))) {
                        return false;
                    }
                } else {
                    deadLetterFromSink(records.get(0), e);
                    return true;
                }
            } catch (RuntimeException e) {
                throw new BrokerException("sink " + plan.spec().name() + " failed unexpectedly: " + e, e);
            }
        }
    }

    /** Records a sink failed on while it wrote others of their batch: dead-lettered, or written again. */
    private boolean deliverFailed(List<StreamRecord> failed, SinkException e) throws InterruptedException {
        if (e.isUndeliverable()) {
            for (StreamRecord r : failed) {
                deadLetterFromSink(r, e);
            }
            return true;
        }
        return deliver(failed);
    }

    private void deadLetterFromSink(StreamRecord r, SinkException e) {
        deadLetter(r.origin() != null ? r.origin() : DeadLetters.asConsumed(r, "sink"), "sink", e);
    }

    private void deadLetter(ConsumedEvent origin, String step, Throwable error) {
        metrics.deadLettered.increment();
        metrics.lastError.set(step + ": " + error.getMessage());
        delivery.send(plan.deadLetterTopic(), DeadLetters.of(origin, plan.spec().name(), step, error, clock.millis()));
    }

    private boolean sleep(long ms) throws InterruptedException {
        long until = System.nanoTime() + ms * 1_000_000L;
        while (running) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000L)));
        }
        return false;
    }

    /** Closes everything the task holds, each even if closing another failed. */
    private void close() {
        closing = true;
        if (checkpoints != null) {
            closeQuietly("stopping the checkpoint writer", checkpoints::close);
        }
        for (Step s : steps) {
            closeQuietly("closing step " + s.getClass().getSimpleName(), s::close);
        }
        if (sink != null) {
            closeQuietly("closing the sink", sink::close);
        }
        closeQuietly("closing the consumer", consumer::close);
        closeQuietly("closing the producer", delivery::close);
    }

    private void closeQuietly(String what, AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            metrics.lastError.set(what + ": " + e.getMessage());
        }
    }

    String stageName() {
        return plan.spec().name();
    }

    /**
     * The results the task's stateful steps hold for a key, read on the task's thread between batches (within a poll
     * interval, 200 ms, plus the batch being processed).
     */
    CompletableFuture<List<Map<String, Object>>> query(String key) {
        var answer = new CompletableFuture<List<Map<String, Object>>>();
        queries.add(() -> {
            try {
                List<Map<String, Object>> out = new ArrayList<>();
                stateful.forEach(s -> out.addAll(s.query(key)));
                answer.complete(out);
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        if (!running) {
            answer.complete(List.of());
        }
        return answer;
    }

    /**
     * The input of a bounded run has ended at these offsets (every partition of the stage's inputs). Once the task has
     * read its partitions to there, it hands the end to its stateful steps, delivers what they give, keeps their state
     * and its offsets, publishes what its sink prepared, and counts as {@link #ended}. Any thread.
     */
    void endInput(Map<TopicPartition, Long> ends) {
        inputEnds = Map.copyOf(ends);
    }

    /** Whether the task has read everything the partition holds now; false when that cannot be told. */
    private boolean readToEnd(TopicPartition tp) {
        try {
            Long end = endOffsets.apply(List.of(tp)).get(tp);
            return end != null && consumer.position(tp) >= end;
        } catch (RuntimeException e) {
            return false; // the broker did not answer: the origin holds event time back, the safe side
        }
    }

    /** Whether the task has handled the end of the input of every partition it reads ({@link #endInput}). */
    boolean ended() {
        return ended;
    }

    /** The partitions whose ended input the task has handled. */
    Set<TopicPartition> endedPartitions() {
        return endedPartitions;
    }

    /** On the task's thread, between batches: see {@link #endInput}. */
    private void handleInputEnd() throws InterruptedException, SinkException {
        Set<TopicPartition> assigned = consumer.assignment();
        if (ended && endedPartitions.equals(assigned)) {
            return;
        }
        Map<TopicPartition, Long> ends = inputEnds;
        for (TopicPartition tp : assigned) {
            if (consumer.position(tp) < ends.getOrDefault(tp, 0L)) {
                ended = false;
                return; // not read to the end yet
            }
        }
        List<TopicPartition> fresh = new ArrayList<>(assigned);
        fresh.removeAll(endedPartitions);
        if (!stateful.isEmpty() && !fresh.isEmpty()) {
            long now = clock.millis();
            List<StreamRecord> last = fromStatefulSteps((s, out) -> s.onInputEnd(fresh, now, out));
            delivery.begin();
            if (!deliverAll(last)) {
                unfinished = true;
                return;
            }
            commit(List.of());
        }
        if (checkpoints != null && !checkpoints.transactional()) {
            checkpoints.checkpointNow(assigned);
        }
        if (delivery.owesCommit()) {
            delivery.begin();
            delivery.complete(List.of());
        }
        if (publishing != null) {
            publishing.commit();
        }
        endedPartitions = Set.copyOf(assigned);
        ended = true;
    }

    /**
     * Asks the task to stop after its current batch (delivered and committed). No wakeup: a poll returns within 200 ms
     * anyway, and a wakeup could land on the batch's commit instead and leave it uncommitted.
     */
    void stop() {
        running = false;
    }
}
