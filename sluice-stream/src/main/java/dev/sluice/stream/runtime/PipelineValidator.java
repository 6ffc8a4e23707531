package dev.sluice.stream.runtime;

import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Connectors;
import dev.sluice.stream.connector.SinkConnector;
import dev.sluice.stream.connector.SourceConnector;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.Output;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.spec.SourceSpec;
import dev.sluice.stream.spec.StageSpec;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.spec.TopicSpec;
import dev.sluice.stream.step.Args;
import dev.sluice.stream.step.StatefulStep;
import dev.sluice.stream.step.Step;
import dev.sluice.stream.step.StepContext;
import dev.sluice.stream.step.Steps;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a pipeline completely and turns it into a {@link PipelinePlan}; the first problem is thrown. */
public final class PipelineValidator {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    private final Connectors connectors;
    private final Path baseDir;
    private final Clock clock;

    public PipelineValidator(Connectors connectors, Path baseDir, Clock clock) {
        this.connectors = connectors;
        this.baseDir = baseDir;
        this.clock = clock;
    }

    /**
     * @throws PipelineException naming the place and the problem
     */
    public PipelinePlan validate(PipelineSpec spec) {
        name(spec.name(), Location.DSL, "pipeline");
        Map<String, TopicSpec> topics = new LinkedHashMap<>();
        for (TopicSpec t : spec.topics()) {
            name(t.name(), t.location(), "topic");
            if (t.partitions() < 1 || t.partitions() > 10_000) {
                throw new PipelineException(
                        t.location(),
                        "topic '" + t.name() + "' needs 1 to 10000 partitions, got " + t.partitions() + ".");
            }
            if (topics.put(t.name(), t) != null) {
                throw new PipelineException(t.location(), "topic '" + t.name() + "' is declared twice.");
            }
        }
        StepContext stepContext = new StepContext(baseDir, clock);
        Set<String> componentNames = new HashSet<>();
        List<PipelinePlan.SourcePlan> sources = new ArrayList<>();
        for (SourceSpec s : spec.sources()) {
            name(s.name(), s.location(), "source");
            unique(componentNames, s.name(), s.location());
            topic(topics, s.to(), s.location(), "to");
            SourceConnector connector = connectors.source(s.type(), s.location());
            ConnectorContext context =
                    new ConnectorContext(spec.name(), s.name(), s.to(), baseDir, clock, 0, s.location());
            Config config = Config.check("source " + s.name(), s.config(), connector.keys(), s.location());
            connector.create(config, context); // checks values; opens nothing
            sources.add(new PipelinePlan.SourcePlan(s, connector, config, context));
        }
        List<PipelinePlan.StagePlan> stages = new ArrayList<>();
        List<TopicSpec> deadLetterTopics = new ArrayList<>();
        Repartitioning.Result split = Repartitioning.plan(spec.name(), spec.stages(), topics, stepContext);
        for (TopicSpec t : split.topics()) {
            if (topics.putIfAbsent(t.name(), t) != null) {
                throw new PipelineException(
                        t.location(),
                        "topic '" + t.name() + "' is the topic Sluice makes to group the stage's events by key;"
                                + " give the declared topic another name.");
            }
        }
        for (StageSpec st : split.stages()) {
            String kind = st.isSink() ? "sink" : "stage";
            name(st.name(), st.location(), kind);
            unique(componentNames, st.name(), st.location());
            if (st.from().isEmpty()) {
                throw new PipelineException(
                        st.location(), kind + " '" + st.name() + "' needs 'from': the topic it reads.");
            }
            for (String from : st.from()) {
                topic(topics, from, st.location(), "from");
            }
            StepContext stageSteps = stepContext.forScope(spec.name() + "." + st.name());
            boolean stateful = false;
            List<String> outputs = new ArrayList<>();
            for (StepSpec stepSpec : st.steps()) {
                try (Step step = Steps.create(stepSpec, stageSteps)) {
                    if (step instanceof StatefulStep) {
                        if (stateful) {
                            throw new PipelineException(
                                    stepSpec.location(),
                                    "a stage takes one window or stream join; put the second in a stage of its own"
                                            + " that reads the first one's output.");
                        }
                        stateful = true;
                    }
                    for (String target : Steps.extraTargets(step)) {
                        topic(topics, target, stepSpec.location(), "route.to");
                        outputs.add(target);
                    }
                    for (String table : Steps.extraSources(step)) {
                        topic(topics, table, stepSpec.location(), stepSpec.kind() + ".table");
                    }
                    for (String own : Steps.ownTopics(step)) {
                        name(own, stepSpec.location(), "topic");
                        if (!topics.containsKey(own)) {
                            topics.put(own, new TopicSpec(own, 1, Map.of(), stepSpec.location()));
                        }
                        outputs.add(own);
                    }
                }
            }
            String dlq = st.deadLetterTopic() != null ? st.deadLetterTopic() : spec.name() + "." + st.name() + ".dlq";
            name(dlq, st.location(), "dead-letter topic");
            if (!topics.containsKey(dlq)) {
                deadLetterTopics.add(new TopicSpec(dlq, 1, Map.of(), st.location()));
            }
            outputs.add(dlq);
            List<TopicPartition> inputs = new ArrayList<>();
            for (String from : st.from()) {
                for (int p = 0; p < topics.get(from).partitions(); p++) {
                    inputs.add(new TopicPartition(from, p));
                }
            }
            String changelog = null;
            if (stateful) {
                changelog = spec.name() + "." + st.name() + ".changelog";
                name(changelog, st.location(), "changelog topic");
                TopicSpec declared = topics.get(changelog);
                if (declared != null && declared.partitions() != inputs.size()) {
                    throw new PipelineException(
                            declared.location(),
                            "topic '" + changelog + "' keeps the state of stage '" + st.name() + "' and needs one"
                                    + " partition per input partition (" + inputs.size() + "), not "
                                    + declared.partitions() + ".");
                }
                topics.putIfAbsent(
                        changelog, new TopicSpec(changelog, inputs.size(), Changelog.TOPIC_CONFIG, st.location()));
            }
            int maxPartitions = st.from().stream()
                    .mapToInt(f -> topics.get(f).partitions())
                    .max()
                    .orElse(1);
            int parallelism = st.parallelism() > 0 ? st.parallelism() : Math.min(maxPartitions, 2);
            String group = spec.name() + "." + st.name();
            ConnectorContext context = new ConnectorContext(
                    spec.name(),
                    st.name(),
                    st.from().isEmpty() ? null : st.from().get(0),
                    baseDir,
                    clock,
                    0,
                    st.location());
            if (st.output() instanceof Output.ToSink sink) {
                SinkConnector connector = connectors.sink(sink.type(), st.location());
                boolean twoPhase = st.exactlyOnce() || connector.twoPhase();
                if (twoPhase) {
                    exactlyOnceSink(st, connector, stateful);
                }
                Config config = Config.check("sink " + st.name(), sink.config(), connector.keys(), st.location());
                if (twoPhase) { // checks values; opens nothing
                    connector.createExactlyOnce(config, context);
                } else {
                    connector.create(config, context);
                }
                int tasks = Math.min(parallelism, connector.maxParallelism());
                stages.add(new PipelinePlan.StagePlan(
                        st, group, tasks, null, dlq, connector, config, context, changelog, inputs, null, outputs));
            } else {
                String to = ((Output.ToTopic) st.output()).topic();
                if (to == null) {
                    throw new PipelineException(
                            st.location(),
                            "stage '" + st.name() + "' needs 'to': the topic its"
                                    + " events go to (or make it a sink with 'type').");
                }
                topic(topics, to, st.location(), "to");
                outputs.add(0, to);
                Long idleTimeout = split.idleTimeouts().get(to);
                PipelinePlan.Progress progress = idleTimeout == null
                        ? null
                        : new PipelinePlan.Progress(to, topics.get(to).partitions(), idleTimeout);
                stages.add(new PipelinePlan.StagePlan(
                        st, group, parallelism, to, dlq, null, null, context, changelog, inputs, progress, outputs));
            }
        }
        List<TopicSpec> allTopics = new ArrayList<>(topics.values());
        allTopics.addAll(deadLetterTopics);
        return new PipelinePlan(spec, allTopics, sources, stages, stepContext);
    }

    private static void exactlyOnceSink(StageSpec st, SinkConnector connector, boolean stateful) {
        if (!connector.supportsExactlyOnce()) {
            throw new PipelineException(
                    st.location(),
                    "sink '" + st.name() + "': " + connector.type() + " sinks cannot publish exactly once (file sinks"
                            + " can); for a table, write with mode: upsert and a key, so a batch delivered again"
                            + " changes nothing.");
        }
        if (stateful) {
            throw new PipelineException(
                    st.location(),
                    "sink '" + st.name() + "': " + (connector.twoPhase() ? "a " + connector.type() : "an exactly-once")
                            + " sink cannot have a window, stream join or process step"
                            + " yet; send the results to a topic in a stage, and let the sink read that topic.");
        }
    }

    static void topic(Map<String, TopicSpec> topics, String name, Location at, String key) {
        if (name == null) {
            throw new PipelineException(at, "'" + key + "' is missing.");
        }
        if (!topics.containsKey(name)) {
            throw new PipelineException(
                    at,
                    "'" + key + "' names topic '" + name + "', which is not declared under"
                            + " 'topics'." + Args.suggest(name, topics.keySet())
                            + (topics.isEmpty()
                                    ? ""
                                    : " Declared topics: " + String.join(", ", topics.keySet()) + "."));
        }
    }

    private static void unique(Set<String> names, String name, Location at) {
        if (!names.add(name)) {
            throw new PipelineException(
                    at, "the name '" + name + "' is used twice; sources, stages and sinks need" + " distinct names.");
        }
    }

    private static void name(String name, Location at, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PipelineException(
                    at, "invalid " + what + " name '" + name + "': use letters, digits, '.', '_'" + " and '-'.");
        }
    }
}
