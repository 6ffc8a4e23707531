package dev.sluice.stream;

import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.Output;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.spec.SourceSpec;
import dev.sluice.stream.spec.StageSpec;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.spec.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Java DSL: builds the same {@link PipelineSpec} as a YAML file.
 *
 * <pre>{@code
 * PipelineSpec spec = Pipeline.named("clickstream")
 *         .topic("clicks", 4)
 *         .topic("clean", 4)
 *         .source("web", "generator", "clicks", Map.of("count", 1000))
 *         .stage("tidy", s -> s.from("clicks").parse("json").filter("event.agent != 'bot'").to("clean"))
 *         .sink("lake", "file", Map.of("path", "out/clicks"), s -> s.from("clean"))
 *         .build();
 * }</pre>
 */
public final class Pipeline {
    private final String name;
    private String broker;
    private final Map<String, String> brokerOptions = new java.util.LinkedHashMap<>();
    private final List<TopicSpec> topics = new ArrayList<>();
    private final List<SourceSpec> sources = new ArrayList<>();
    private final List<StageSpec> stages = new ArrayList<>();

    private Pipeline(String name) {
        this.name = name;
    }

    public static Pipeline named(String name) {
        return new Pipeline(name);
    }

    /** Backend settings, such as Kafka client settings ({@code security.protocol}, {@code producer.linger.ms}). */
    public Pipeline brokerOptions(Map<String, String> options) {
        this.brokerOptions.putAll(options);
        return this;
    }

    public Pipeline broker(String url) {
        this.broker = url;
        return this;
    }

    public Pipeline topic(String topic, int partitions) {
        return topic(topic, partitions, Map.of());
    }

    public Pipeline topic(String topic, int partitions, Map<String, String> config) {
        topics.add(new TopicSpec(topic, partitions, config, Location.DSL));
        return this;
    }

    /** A topic the pipeline reads or writes but never creates: it must exist when the pipeline starts. */
    public Pipeline existingTopic(String topic) {
        topics.add(new TopicSpec(topic, 1, Map.of(), false, Location.DSL));
        return this;
    }

    public Pipeline source(String sourceName, String type, String to, Map<String, Object> config) {
        sources.add(new SourceSpec(sourceName, type, to, config, Location.DSL));
        return this;
    }

    public Pipeline stage(String stageName, Consumer<Stage> definition) {
        Stage s = new Stage(stageName);
        definition.accept(s);
        stages.add(s.build(null));
        return this;
    }

    public Pipeline sink(String sinkName, String type, Map<String, Object> config, Consumer<Stage> definition) {
        Stage s = new Stage(sinkName);
        definition.accept(s);
        stages.add(s.build(new Output.ToSink(type, config)));
        return this;
    }

    public PipelineSpec build() {
        return new PipelineSpec(name, broker, topics, sources, stages, brokerOptions);
    }

    /** The steps and wiring of one stage or sink. */
    public static final class Stage {
        private final String name;
        private final List<String> from = new ArrayList<>();
        private final List<StepSpec> steps = new ArrayList<>();
        private String to;
        private String deadLetter;
        private int parallelism;
        private boolean exactlyOnce;

        private Stage(String name) {
            this.name = name;
        }

        public Stage from(String... topics) {
            from.addAll(List.of(topics));
            return this;
        }

        /** Any step by kind and argument, as it would be written in YAML. */
        public Stage step(String kind, Object argument) {
            steps.add(new StepSpec(kind, argument, Location.DSL));
            return this;
        }

        public Stage parse(String format) {
            return step("parse", format);
        }

        /** A {@code window} step: aggregations by key over event-time windows. */
        public Stage window(Windows window) {
            return step("window", window.argument());
        }

        /** A {@code join} step: with a table, or with another stream within a time window. */
        public Stage join(Joins join) {
            return step("join", join.argument());
        }

        /** A {@code process} step: a function written in Java, with state and timers per key. */
        public Stage process(KeyedProcess process) {
            return step("process", process.argument());
        }

        public Stage validate(Map<String, Object> argument) {
            return step("validate", argument);
        }

        public Stage filter(String expression) {
            return step("filter", expression);
        }

        public Stage map(Map<String, String> fieldExpressions) {
            return step("map", fieldExpressions);
        }

        public Stage set(Map<String, Object> values) {
            return step("set", values);
        }

        public Stage rename(Map<String, String> renames) {
            return step("rename", renames);
        }

        public Stage drop(String... fields) {
            return step("drop", List.of(fields));
        }

        public Stage normalize(Map<String, Object> argument) {
            return step("normalize", argument);
        }

        public Stage enrich(Map<String, Object> argument) {
            return step("enrich", argument);
        }

        public Stage route(List<Map<String, Object>> rules) {
            return step("route", rules);
        }

        public Stage dedupe(String keyExpression, String within) {
            return step("dedupe", Map.of("key", keyExpression, "within", within));
        }

        public Stage explode(String field) {
            return step("explode", field);
        }

        public Stage key(String expression) {
            return step("key", expression);
        }

        public Stage to(String topic) {
            this.to = topic;
            return this;
        }

        public Stage deadLetter(String topic) {
            this.deadLetter = topic;
            return this;
        }

        /** Outputs and offsets in one transaction per batch (needs a broker with transactions, such as Kafka). */
        public Stage exactlyOnce() {
            this.exactlyOnce = true;
            return this;
        }

        public Stage parallelism(int tasks) {
            this.parallelism = tasks;
            return this;
        }

        private StageSpec build(Output sink) {
            Output output = sink != null ? sink : new Output.ToTopic(to);
            return new StageSpec(name, from, steps, output, deadLetter, parallelism, exactlyOnce, Location.DSL);
        }
    }
}
