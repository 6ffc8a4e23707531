package dev.sluice.stream.runtime;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.GroupDescription;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.broker.TopicPartition;
import dev.sluice.log.config.TopicConfig;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.spec.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running pipeline: its source and stage tasks on their own threads, one shared producer. Start one with {@link
 * #start}; {@link #stop()} stops the sources, lets every stage finish and commit its current batch, and closes
 * everything. Thread-safe.
 */
public final class PipelineRun implements AutoCloseable {
    private final PipelinePlan plan;
    private final Broker broker;
    private final Producer producer;
    private final List<SourceTask> sources = new ArrayList<>();
    /** The source tasks by name, for other threads (tables wait for the sources that write them). */
    private final Map<String, SourceTask> sourcesByName = new ConcurrentHashMap<>();

    private final List<StageTask> stages = new ArrayList<>();
    private final List<Thread> sourceThreads = new ArrayList<>();
    private final List<Thread> stageThreads = new ArrayList<>();
    private final Map<String, Metrics> metrics = new LinkedHashMap<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    /** Partition counts of the topics lag is measured on: looked up once (on Kafka, a description is four requests). */
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

    private volatile boolean stopped;
    private TableReaders tables;
    /** The end of a bounded run, once {@link #awaitEnd} asked for it; guarded by {@link #endLock}. */
    private InputEnds ends;

    private final Object endLock = new Object();

    private PipelineRun(PipelinePlan plan, Broker broker) {
        this.plan = plan;
        this.broker = broker;
        this.producer = broker.producer();
    }

    /**
     * Validates the pipeline, creates missing topics, and starts every task.
     *
     * @throws dev.sluice.stream.spec.PipelineException for a mistake in the pipeline
     */
    public static PipelineRun start(PipelineSpec spec, Broker broker, RuntimeOptions options) {
        PipelinePlan plan =
                new PipelineValidator(options.connectors(), options.baseDir(), options.clock()).validate(spec);
        checkGuarantees(spec, broker);
        for (TopicSpec t : plan.topics()) {
            if (t.create()) {
                if (!broker.admin().createTopicIfMissing(new NewTopic(t.name(), t.partitions(), t.config()))) {
                    checkExisting(t, broker);
                }
            } else if (!broker.admin().listTopics(true).contains(t.name())) {
                throw new dev.sluice.stream.spec.PipelineException(
                        t.location(),
                        "topic '" + t.name() + "' does not exist on " + broker.url() + ", and the pipeline does not"
                                + " create it (create: false). Create it there, or remove 'create: false'.");
            }
        }
        PipelineRun run = new PipelineRun(plan, broker);
        try {
            run.startTasks(options);
        } catch (RuntimeException e) {
            run.stop(); // stop whatever started before the failure
            throw e;
        }
        return run;
    }

    /**
     * A topic the pipeline would create that exists already must be the topic it declares: another partition count
     * would put keys, and so state, elsewhere; other settings would be silently ignored (two pipelines sharing a data
     * directory and a topic name meet here).
     */
    private static void checkExisting(TopicSpec t, Broker broker) {
        dev.sluice.broker.TopicDescription existing = broker.admin().describeTopic(t.name());
        List<String> differences = new ArrayList<>();
        if (existing.partitions().size() != t.partitions()) {
            differences.add(existing.partitions().size() + " partitions, not " + t.partitions());
        }
        Map<String, String> declared;
        try {
            declared = TopicConfig.of(new NewTopic(t.name(), t.partitions(), t.config()).logConfig())
                    .toMap();
        } catch (RuntimeException notForThisLog) { // settings only another backend knows: compared as written
            declared = t.config();
        }
        for (String key : t.config().keySet()) {
            String has = existing.config().get(key);
            String wants = declared.get(key);
            if (has != null && wants != null && !has.equals(wants)) {
                differences.add(key + "=" + has + ", not " + wants);
            }
        }
        if (!differences.isEmpty()) {
            throw new dev.sluice.stream.spec.PipelineException(
                    t.location(),
                    "topic '" + t.name() + "' exists on " + broker.url() + " with " + String.join(" and ", differences)
                            + " as declared here. Declare what it has; or change its settings (sluice topics alter "
                            + t.name() + " -c KEY=VALUE); or delete it (sluice topics delete " + t.name()
                            + ", with its events) to have it created as declared; or give this pipeline a data"
                            + " directory of its own (broker: embedded:DIR in the file, or --data-dir).");
        }
    }

    private static void checkGuarantees(PipelineSpec spec, Broker broker) {
        for (var stage : spec.stages()) {
            if (!stage.exactlyOnce()) {
                continue;
            }
            if (stage.isSink()) {
                continue; // checked with its connector: a sink publishes exactly once by itself, on any broker
            }
            if (!broker.supportsTransactions()) {
                throw new dev.sluice.stream.spec.PipelineException(
                        stage.location(),
                        "stage '" + stage.name() + "' asks for guarantee: exactly-once, which needs a broker with"
                                + " transactions (kafka://host:port); " + broker.url() + " has none. Remove the"
                                + " guarantee to run at-least-once here.");
            }
        }
    }

    private void startTasks(RuntimeOptions options) {
        TaskSupervisor supervisor = (task, error) -> {
            failure.compareAndSet(null, task + " stopped: " + describe(error));
            new Thread(this::stop, "sluice-stop").start();
        };
        tables = new TableReaders(broker, supervisor, this::sourcesCaughtUp);
        var stepContext = new dev.sluice.stream.step.StepContext(options.baseDir(), options.clock()).withTables(tables);
        for (PipelinePlan.StagePlan s : plan.stages()) {
            Metrics m = metrics.computeIfAbsent(s.spec().name(), k -> new Metrics());
            for (int i = 0; i < s.parallelism(); i++) {
                Consumer consumer = broker.consumer(StageTask.consumerConfig(s));
                Delivery delivery;
                try {
                    delivery = delivery(s, i, consumer, m);
                } catch (RuntimeException e) {
                    consumer.close();
                    throw e;
                }
                CheckpointSettings checkpointing = s.changelogTopic() == null
                        ? null
                        : new CheckpointSettings(
                                new Changelog(broker, s.changelogTopic(), s.inputs()),
                                producer,
                                options.checkpointIntervalMs());
                StageTask task = new StageTask(
                        s,
                        i,
                        delivery,
                        consumer,
                        m,
                        options.backoff(),
                        options.clock(),
                        supervisor,
                        stepContext,
                        checkpointing,
                        options.checkpointIntervalMs(),
                        broker.admin()::endOffsets);
                stages.add(task);
                stageThreads.add(thread(task, "sluice-" + s.spec().name() + "-" + i));
            }
        }
        if (plan.sources().isEmpty()) {
            return; // no positions to keep: the positions topic is not needed
        }
        SourcePositions positions = new SourcePositions(broker, producer);
        for (PipelinePlan.SourcePlan s : plan.sources()) {
            Metrics m = metrics.computeIfAbsent(s.spec().name(), k -> new Metrics());
            SourceTask task = new SourceTask(s, producer, positions, m, supervisor);
            sources.add(task);
            sourcesByName.put(s.spec().name(), task);
            sourceThreads.add(thread(task, "sluice-source-" + s.spec().name()));
        }
    }

    /**
     * Exactly-once stages get a transactional producer each, named by pipeline, stage, task and a random suffix:
     * processes that run the same pipeline never share a name, and the group metadata sent with each commit fences a
     * member the group has moved on from.
     */
    private Delivery delivery(PipelinePlan.StagePlan s, int task, Consumer consumer, Metrics m) {
        if (s.sink() != null || !s.spec().exactlyOnce()) {
            // a sink that publishes exactly once commits the offsets itself, between preparing and publishing
            boolean commitEachBatch = s.changelogTopic() == null && !s.twoPhaseSink();
            return new AtLeastOnceDelivery(producer, consumer, m, commitEachBatch);
        }
        String id = plan.spec().name() + "." + s.spec().name() + "-" + task;
        return new ExactlyOnceDelivery(broker.transactionalProducer(id), consumer, m);
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.start();
        return t;
    }

    public PipelinePlan plan() {
        return plan;
    }

    /** Counters of each source and stage, by name. */
    public Map<String, Metrics.Snapshot> metrics() {
        Map<String, Metrics.Snapshot> out = new LinkedHashMap<>();
        metrics.forEach((name, m) -> out.put(name, m.snapshot()));
        return out;
    }

    /**
     * The current window results a stage holds for a key, from every task of the stage in this process (a stage
     * scaled out over processes holds the keys of its other partitions elsewhere).
     *
     * @throws IllegalArgumentException if there is no such stage, or it keeps no state
     */
    public List<Map<String, Object>> queryState(String stage, String key, Duration timeout)
            throws InterruptedException {
        PipelinePlan.StagePlan plan = this.plan.stages().stream()
                .filter(p -> p.spec().name().equals(stage))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage '" + stage + "' in pipeline "
                        + this.plan.spec().name() + "; stages: "
                        + this.plan.stages().stream().map(p -> p.spec().name()).toList()));
        if (plan.changelogTopic() == null) {
            throw new IllegalArgumentException(
                    "stage '" + stage + "' keeps no state (it has no window or stream join)");
        }
        List<CompletableFuture<List<Map<String, Object>>>> answers = new ArrayList<>();
        for (StageTask task : stages) {
            if (task.stageName().equals(stage)) {
                answers.add(task.query(key));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var answer : answers) {
            try {
                out.addAll(answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                throw new IllegalStateException("reading the state of " + stage + " failed: " + e.getCause(), e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("the tasks of " + stage + " did not answer within " + timeout.toMillis()
                        + " ms (busy with a long batch, or waiting for a sink)");
            }
        }
        out.sort(Comparator.comparing(m -> String.valueOf(m.get("window_start"))));
        return out;
    }

    /** How long a stage's tasks stopped for checkpoints of their state (empty for stages without state). */
    public Pauses.Summary checkpointPauses(String stage) {
        Metrics m = metrics.get(stage);
        return m == null ? new Pauses(1).summary() : m.checkpointPauses();
    }

    /** Events waiting to be processed by a stage: the sum, over its input partitions, of end minus committed. */
    public long lag(String stage) {
        PipelinePlan.StagePlan s = plan.stages().stream()
                .filter(p -> p.spec().name().equals(stage))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + stage));
        List<TopicPartition> tps = new ArrayList<>();
        for (String topic : s.spec().from()) {
            int n = partitionCounts.computeIfAbsent(
                    topic, t -> broker.admin().describeTopic(t).partitions().size());
            for (int p = 0; p < n; p++) {
                tps.add(new TopicPartition(topic, p));
            }
        }
        Map<TopicPartition, Long> ends = broker.admin().endOffsets(tps);
        Map<TopicPartition, Long> starts = broker.admin().startOffsets(tps);
        Map<TopicPartition, Long> committed = new LinkedHashMap<>();
        GroupDescription g = broker.admin().describeGroup(s.groupId());
        g.partitions().forEach(p -> {
            if (p.committed() >= 0) { // -1: owned but never committed; the lag counts from the start
                committed.put(p.topicPartition(), p.committed());
            }
        });
        long lag = 0;
        for (TopicPartition tp : tps) {
            lag += Math.max(0, ends.get(tp) - committed.getOrDefault(tp, starts.get(tp)));
        }
        return lag;
    }

    /**
     * Whether every source of the run that writes {@code topic} has published, acknowledged, what its input held at the
     * start (false for one not started yet).
     */
    private boolean sourcesCaughtUp(String topic) {
        for (PipelinePlan.SourcePlan s : plan.sources()) {
            if (s.spec().to().equals(topic)) {
                SourceTask task = sourcesByName.get(s.spec().name());
                if (task == null || !task.isCaughtUp()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True once every source has finished (a bounded source reached its end). */
    public boolean sourcesFinished() {
        return sources.stream().allMatch(SourceTask::isFinished);
    }

    /**
     * Waits until every source has finished and every stage has processed and committed everything, or the timeout.
     *
     * @return true if the pipeline became idle
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && failure.get() == null) {
            if (sourcesFinished()
                    && plan.stages().stream().allMatch(s -> lag(s.spec().name()) == 0)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * Runs the pipeline as a bounded job: waits until every source has finished, then moves the end of the input
     * through the stages ({@link InputEnds}): each reads what its inputs hold, hands the end to its windows, joins and
     * timers (every window's result comes out, the last one too), and delivers everything to its topics and sinks.
     * Returns true once every stage has, false after the timeout or when the run failed. State and event time are
     * kept as they are, so a later run over more of the input goes on where this one ended.
     */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        synchronized (endLock) {
            return awaitEndLocked(timeout);
        }
    }

    private boolean awaitEndLocked(Duration timeout) throws InterruptedException {
        if (ends == null) {
            Map<String, List<StageTask>> byStage = new LinkedHashMap<>();
            stages.forEach(t -> byStage.computeIfAbsent(t.stageName(), k -> new ArrayList<>())
                    .add(t));
            ends = new InputEnds(plan, byStage, broker.admin());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (failure.get() == null && !stopped) {
            if (ends.advance(sourcesFinished())) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The stages of a bounded run that have not ended yet, and what they wait for; empty before {@link #awaitEnd}. */
    public List<String> pendingEnd() {
        synchronized (endLock) {
            return ends == null ? List.of() : pendingEndLocked();
        }
    }

    private List<String> pendingEndLocked() {
        List<String> out = new ArrayList<>();
        if (!sourcesFinished()) {
            sources.stream().filter(s -> !s.isFinished()).forEach(s -> out.add("source " + s.name() + " (reading)"));
        }
        out.addAll(ends.pending());
        return out;
    }

    /** Why the run stopped on its own, or null. */
    public String failure() {
        return failure.get();
    }

    /** Stops sources, then stages (each finishes and commits its batch), then closes the producer. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        sources.forEach(SourceTask::stop);
        join(sourceThreads);
        stages.forEach(StageTask::stop);
        if (tables != null) {
            tables.close(); // a task still waiting for a table to load gives up
        }
        join(stageThreads);
        producer.close();
    }

    public boolean isStopped() {
        return stopped;
    }

    @Override
    public void close() {
        stop();
    }

    private static void join(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String describe(Throwable error) {
        Throwable e = error;
        while ((e instanceof java.util.concurrent.CompletionException
                        || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause(); // their message is the cause's class and message
        }
        String m = e.getMessage();
        if (e instanceof Error) { // "Java heap space" says little without its class
            return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
