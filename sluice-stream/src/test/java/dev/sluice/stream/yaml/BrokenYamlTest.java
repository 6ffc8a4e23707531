package dev.sluice.stream.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stream.connector.Connectors;
import dev.sluice.stream.runtime.PipelineValidator;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.PipelineSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of YAML mistake gets its exact message: file, line, column, key, and a suggestion. */
class BrokenYamlTest {
    private static final String HEAD = """
            pipeline: shop
            topics:
              orders: {partitions: 2}
              clean: {partitions: 2}
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "syntax",
                        "pipeline: shop\ntopics:\n  orders: {partitions: 2\n",
                        "shop.yaml:4:1: this is not valid YAML: expected ',' or '}', but got <stream end> (while parsing a flow"
                                + " mapping)."),
                Arguments.of(
                        "empty file",
                        "",
                        "shop.yaml:1:1: the file is empty; a pipeline needs at least 'pipeline: NAME'"),
                Arguments.of(
                        "unknown top-level key",
                        HEAD + "stagse: []\n",
                        "shop.yaml:5:1: unknown key 'stagse' in the pipeline file. Did you mean 'stages'? Known keys:"
                                + " pipeline, broker, kafka, topics, sources, stages, sinks."),
                Arguments.of(
                        "missing pipeline name",
                        "topics: {}\n",
                        "shop.yaml:1:1: the file needs 'pipeline: NAME' at the top."),
                Arguments.of(
                        "wrong type",
                        "pipeline: shop\ntopics:\n  orders: {partitions: many}\n",
                        "shop.yaml:3:24: 'partitions' of topic orders must be a whole number, got 'many'."),
                Arguments.of(
                        "bad topic setting",
                        "pipeline: shop\ntopics:\n  orders: {retention: forever}\n",
                        "shop.yaml:3:3: topic 'orders': Invalid value forever for retention.ms: 'forever' is not a"
                                + " duration"),
                Arguments.of(
                        "unknown step",
                        HEAD + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n"
                                + "    steps:\n      - fliter: \"event.a > 1\"\n",
                        "shop.yaml:10:9: unknown step 'fliter'. Did you mean 'filter'? Steps: parse, validate,"),
                Arguments.of(
                        "step without argument",
                        HEAD + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n"
                                + "    steps:\n      - parse\n",
                        "shop.yaml:10:9: step 'parse' needs an argument, written as 'kind: argument', for example"
                                + " 'parse: json'"),
                Arguments.of(
                        "two steps in one",
                        HEAD + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n"
                                + "    steps:\n      - parse: json\n        filter: \"true\"\n",
                        "shop.yaml:10:9: a step is one 'kind: argument' pair, but this one has 2 keys (parse, filter);"
                                + " put each step on its own '- ' line."),
                Arguments.of(
                        "bad expression",
                        HEAD + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n"
                                + "    steps:\n      - filter: \"event.a >\"\n",
                        "shop.yaml:10:9: 'filter' has an invalid expression \"event.a >\""),
                Arguments.of(
                        "bad duration",
                        HEAD + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n"
                                + "    steps:\n      - dedupe: {key: event.id, within: ten minutes}\n",
                        "shop.yaml:10:9: 'within': 'ten minutes' is not a duration: use a number of milliseconds or a"
                                + " number with a unit, e.g. 500ms, 10s, 5m, 12h, 7d."),
                Arguments.of(
                        "missing from",
                        HEAD + "stages:\n  - name: tidy\n    to: clean\n",
                        "shop.yaml:6:5: stage 'tidy' needs 'from': the topic it reads."),
                Arguments.of(
                        "unknown topic",
                        HEAD + "stages:\n  - name: tidy\n    from: ordres\n    to: clean\n",
                        "shop.yaml:6:5: 'from' names topic 'ordres', which is not declared under 'topics'. Did you mean"
                                + " 'orders'? Declared topics: orders, clean."),
                Arguments.of(
                        "stage without to",
                        HEAD + "stages:\n  - name: tidy\n    from: orders\n",
                        "shop.yaml:6:5: stage 'tidy' needs 'to': the topic its events go to (or make it a sink with"
                                + " 'type')."),
                Arguments.of(
                        "unknown stage key",
                        HEAD + "stages:\n  - name: tidy\n    form: orders\n    to: clean\n",
                        "shop.yaml:7:5: unknown key 'form' in a stage. Did you mean 'from'?"),
                Arguments.of(
                        "unknown connector",
                        HEAD + "sources:\n  - {name: in, type: lst, to: orders, values: [a]}\n",
                        "shop.yaml:6:5: unknown source type 'lst'. Did you mean 'list'? Source types:"),
                Arguments.of(
                        "unknown connector key",
                        HEAD + "sinks:\n  - {name: out, type: collect, from: clean, intoo: x}\n",
                        "shop.yaml:6:5: unknown key 'intoo' in sink out. Did you mean 'into'? Known keys: into, reject, give-up, crash."),
                Arguments.of(
                        "missing connector key",
                        HEAD + "sinks:\n  - {name: out, type: collect, from: clean}\n",
                        "shop.yaml:6:5: sink out needs 'into'."),
                Arguments.of(
                        "duplicate names",
                        HEAD + "sinks:\n  - {name: out, type: collect, from: clean, into: a}\n"
                                + "  - {name: out, type: collect, from: clean, into: b}\n",
                        "shop.yaml:7:5: the name 'out' is used twice; sources, stages and sinks need distinct names."),
                Arguments.of(
                        "duplicate key",
                        "pipeline: shop\npipeline: again\n",
                        "shop.yaml:2:1: 'pipeline' appears twice in the pipeline file."),
                Arguments.of(
                        "connector in a stage",
                        HEAD + "stages:\n  - {name: tidy, from: orders, type: collect}\n",
                        "shop.yaml:6:32: stage 'tidy' has a 'type': connectors belong under 'sinks'; a stage writes to a"
                                + " topic with 'to'."),
                Arguments.of(
                        "unknown guarantee",
                        HEAD + "stages:\n  - {name: tidy, from: orders, to: clean, guarantee: exactly_once}\n",
                        "shop.yaml:6:54: stage 'tidy': guarantee 'exactly_once' is not one of at-least-once,"
                                + " exactly-once."),
                Arguments.of(
                        "create that is not a boolean",
                        "pipeline: shop\ntopics:\n  orders: {create: maybe}\n",
                        "shop.yaml:3:20: 'create' of topic orders is true or false."),
                Arguments.of(
                        "replication factor that is not a number",
                        "pipeline: shop\ntopics:\n  orders: {replication-factor: three}\n",
                        "shop.yaml:3:3: Invalid value 'three' for replication.factor of topic 'orders': write a whole"
                                + " number of copies, such as 3."),
                Arguments.of(
                        "window without a shape",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - window: {by: page, aggregate: {n: count()}}\n",
                        "shop.yaml:10:9: window needs exactly one of tumbling, hopping, sliding or session, such as"
                                + " 'tumbling: 1m', 'hopping: {size: 10m, advance: 1m}', 'sliding: 10m' or 'session: 30m'."),
                Arguments.of(
                        "window with two shapes",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - window: {tumbling: 1m, session: 5m, aggregate: {n: count()}}\n",
                        "shop.yaml:10:9: window needs exactly one of tumbling, hopping, sliding or session (got tumbling and"
                                + " session)"),
                Arguments.of(
                        "window size that is not a duration",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - window: {tumbling: a minute, aggregate: {n: count()}}\n",
                        "shop.yaml:10:9: 'tumbling': "),
                Arguments.of(
                        "hopping advance above its size",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - window: {hopping: {size: 1m, advance: 5m}, aggregate: {n: count()}}\n",
                        "shop.yaml:10:9: a hopping window's advance (300000 ms) must not exceed its size (60000 ms)."),
                Arguments.of(
                        "misspelt window key",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - window: {tumbling: 1m, lateness: 1m, out-of-ordr: 5s, aggregate: {n: count()}}\n",
                        "shop.yaml:10:9: unknown key 'out-of-ordr' in window. Did you mean 'out-of-order'?"),
                Arguments.of(
                        "unknown aggregation",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - window: {tumbling: 1m, aggregate: {n: cnt()}}\n",
                        "shop.yaml:10:9: unknown aggregation 'cnt' in 'n: cnt()'. Did you mean 'count'? Aggregations: count, sum,"),
                Arguments.of(
                        "aggregation that is not a call",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - window: {tumbling: 1m, aggregate: {n: count}}\n",
                        "shop.yaml:10:9: 'n: count' is not an aggregation; write it as function(field), such as"
                                + " count(), sum(amount) or percentile(latency, 99)."),
                Arguments.of(
                        "window without aggregations",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - window: {tumbling: 1m}\n",
                        "shop.yaml:10:9: window needs 'aggregate'."),
                Arguments.of(
                        "two windows in one stage",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - window: {tumbling: 1m, aggregate: {n: count()}}\n"
                                + "      - window: {tumbling: 1h, aggregate: {n: sum(n)}}\n",
                        "shop.yaml:11:9: a stage takes one window or stream join; put the second in a stage of its own"),
                Arguments.of(
                        "join without a table",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - join: {key: user_id}\n",
                        "shop.yaml:10:9: join needs either 'table' (a topic that holds a table, such as 'join: {table:"),
                Arguments.of(
                        "join with a table that is not declared",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - join: {table: users, key: user_id}\n",
                        "shop.yaml:10:9: 'join.table' names topic 'users', which is not declared under 'topics'."),
                Arguments.of(
                        "join of an unknown type",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - join: {table: orders, type: outer}\n",
                        "shop.yaml:10:9: join 'type' must be left (keep events that find no match) or inner (drop"
                                + " them); got 'outer'."),
                Arguments.of(
                        "join as of an unknown time",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - join: {table: orders, as-of: now}\n",
                        "shop.yaml:10:9: 'as-of' must be event-time (the row valid at the event's time) or latest"),
                Arguments.of(
                        "misspelt join key",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - join: {table: orders, feilds: [a]}\n",
                        "shop.yaml:10:9: unknown key 'feilds' in join. Did you mean 'fields'?"),
                Arguments.of(
                        "process with a class that is not there",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - process: {class: com.example.Nope, by: user}\n",
                        "shop.yaml:10:9: class com.example.Nope is not on the classpath; put the jar that has it on"),
                Arguments.of(
                        "process with a class that is not a keyed function",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - process: {class: java.lang.String}\n",
                        "shop.yaml:10:9: class java.lang.String does not implement dev.sluice.stream.state.KeyedFunction."),
                Arguments.of(
                        "process without a class",
                        HEAD
                                + "stages:\n  - name: tidy\n    from: orders\n    to: clean\n    steps:\n      - process: {by: user}\n",
                        "shop.yaml:10:9: process needs 'class': the name of a class that implements"),
                Arguments.of(
                        "kafka setting with a list",
                        "pipeline: shop\nkafka:\n  bootstrap: [a, b]\n",
                        "shop.yaml:3:14: kafka setting 'bootstrap' needs a single value, such as 'linger.ms: 5' or"
                                + " 'security.protocol: SASL_SSL'."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldExplainTheMistakeExactly(String what, String yaml, String expectedStart) {
        assertThatThrownBy(() -> {
                    PipelineSpec spec = PipelineYaml.parse(yaml, "shop.yaml");
                    new PipelineValidator(connectors(), Path.of("."), Clock.systemUTC()).validate(spec);
                })
                .isInstanceOf(PipelineException.class)
                .message()
                .startsWith(expectedStart);
    }

    private static Connectors connectors() {
        return dev.sluice.stream.runtime.TestConnectorsAccess.all();
    }

    @org.junit.jupiter.api.Test
    void shouldAcceptAWellFormedPipeline() {
        PipelineSpec spec = PipelineYaml.parse(HEAD + """
                sources:
                  - {name: in, type: list, to: orders, values: ["{}"]}
                stages:
                  - name: tidy
                    from: orders
                    steps:
                      - parse: json
                      - filter: "event.amount > 0"
                    to: clean
                sinks:
                  - {name: out, type: collect, from: clean, into: x}
                """, "shop.yaml");
        var plan = new PipelineValidator(connectors(), Path.of("."), Clock.systemUTC()).validate(spec);
        assertThat(plan.stages()).hasSize(2);
        assertThat(plan.topics()).extracting(t -> t.name()).contains("shop.tidy.dlq", "shop.out.dlq");
        assertThat(spec.stages().get(0).steps().get(1).location().toString()).isEqualTo("shop.yaml:12:9");
    }
}
