package dev.sluice.stream.yaml;

import dev.sluice.broker.InvalidTopicException;
import dev.sluice.broker.NewTopic;
import dev.sluice.log.config.InvalidConfigException;
import dev.sluice.log.config.TopicConfig;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.Output;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.spec.SourceSpec;
import dev.sluice.stream.spec.StageSpec;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.spec.TopicSpec;
import dev.sluice.stream.step.Args;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Reads a pipeline from YAML into the same {@link PipelineSpec} the Java DSL builds. Every mistake is reported with the
 * file, line and column, the key, and a suggestion where one is likely. The format is described in docs/pipelines.md.
 */
public final class PipelineYaml {
    private static final List<String> TOP =
            List.of("pipeline", "broker", "kafka", "topics", "sources", "stages", "sinks");
    private static final List<String> SOURCE = List.of("name", "type", "to");
    private static final List<String> STAGE =
            List.of("name", "from", "steps", "to", "dead-letter", "parallelism", "guarantee");
    private static final List<String> SINK =
            List.of("name", "from", "type", "steps", "dead-letter", "parallelism", "guarantee");
    private static final Map<String, String> TOPIC_ALIASES = Map.of(
            "retention",
            "retention.ms",
            "cleanup",
            "cleanup.policy",
            "flush",
            "flush.policy",
            "max-message-bytes",
            "max.message.bytes",
            "segment-bytes",
            "segment.bytes",
            "replication-factor",
            NewTopic.REPLICATION_FACTOR);

    private final YamlNodes nodes;

    private PipelineYaml(String file) {
        this.nodes = new YamlNodes(file);
    }

    /**
     * @throws PipelineException if the file cannot be read or has a mistake
     */
    public static PipelineSpec load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new PipelineException(null, "Pipeline file " + file + " does not exist.");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new PipelineException(
                    null,
                    "Pipeline file " + file + " is not text in UTF-8 (it holds bytes that are not); a pipeline is a"
                            + " YAML file. Check the path, or save the file as UTF-8.");
        } catch (IOException e) {
            throw new PipelineException(null, "Cannot read pipeline file " + file + ": " + e.getMessage());
        }
    }

    public static PipelineSpec parse(String yaml, String fileName) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported by us, with the place
            root = new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            throw new PipelineException(
                    new Location(fileName, mark.getLine() + 1, mark.getColumn() + 1),
                    "this is not valid YAML: " + e.getProblem()
                            + (e.getContext() == null ? "" : " (" + e.getContext() + ")") + ".");
        } catch (YAMLException e) {
            throw new PipelineException(new Location(fileName, 1, 1), "this is not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new PipelineException(
                    new Location(fileName, 1, 1),
                    "the file is empty; a pipeline needs at least"
                            + " 'pipeline: NAME' and some topics, sources, stages or sinks.");
        }
        return new PipelineYaml(fileName).pipeline(root);
    }

    private PipelineSpec pipeline(Node root) {
        Map<String, NodeTuple> m = nodes.mapping(root, "the pipeline file");
        checkKeys(m, TOP, "the pipeline file");
        if (!m.containsKey("pipeline")) {
            throw new PipelineException(nodes.at(root), "the file needs 'pipeline: NAME' at the top.");
        }
        String name = nodes.text(m.get("pipeline").getValueNode(), "'pipeline'");
        String broker = m.containsKey("broker") ? nodes.text(m.get("broker").getValueNode(), "'broker'") : null;
        List<TopicSpec> topics =
                m.containsKey("topics") ? topics(m.get("topics").getValueNode()) : List.of();
        List<SourceSpec> sources = new ArrayList<>();
        if (m.containsKey("sources")) {
            for (Node n : nodes.sequence(m.get("sources").getValueNode(), "'sources'")) {
                sources.add(source(n));
            }
        }
        List<StageSpec> stages = new ArrayList<>();
        if (m.containsKey("stages")) {
            for (Node n : nodes.sequence(m.get("stages").getValueNode(), "'stages'")) {
                stages.add(stage(n, false));
            }
        }
        if (m.containsKey("sinks")) {
            for (Node n : nodes.sequence(m.get("sinks").getValueNode(), "'sinks'")) {
                stages.add(stage(n, true));
            }
        }
        Map<String, String> kafka =
                m.containsKey("kafka") ? settings(m.get("kafka").getValueNode()) : Map.of();
        return new PipelineSpec(name, broker, topics, sources, stages, kafka);
    }

    /** The {@code kafka:} map: client settings by key, each value a single text, number or boolean. */
    private Map<String, String> settings(Node node) {
        Map<String, String> out = new LinkedHashMap<>();
        nodes.mapping(node, "'kafka'").forEach((key, t) -> {
            Object value = nodes.value(t.getValueNode());
            if (value == null || value instanceof Map || value instanceof List) {
                throw new PipelineException(
                        nodes.at(t.getValueNode()),
                        "kafka setting '" + key + "' needs a single value, such as 'linger.ms: 5' or"
                                + " 'security.protocol: SASL_SSL'.");
            }
            out.put(key, String.valueOf(value));
        });
        return out;
    }

    private List<TopicSpec> topics(Node node) {
        List<TopicSpec> out = new ArrayList<>();
        nodes.mapping(node, "'topics'").forEach((name, t) -> {
            Location at = nodes.at(t.getKeyNode());
            Node value = t.getValueNode();
            Map<String, String> config = new LinkedHashMap<>();
            int partitions = 1;
            boolean create = true;
            if (!(value instanceof org.yaml.snakeyaml.nodes.ScalarNode s
                    && s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.NULL))) {
                for (Map.Entry<String, NodeTuple> e :
                        nodes.mapping(value, "topic '" + name + "'").entrySet()) {
                    Node v = e.getValue().getValueNode();
                    if (e.getKey().equals("partitions")) {
                        partitions = nodes.integer(v, "'partitions' of topic " + name);
                    } else if (e.getKey().equals("create")) {
                        if (!(nodes.value(v) instanceof Boolean b)) {
                            throw new PipelineException(
                                    nodes.at(v), "'create' of topic " + name + " is true or false.");
                        }
                        create = b;
                    } else {
                        String key = TOPIC_ALIASES.getOrDefault(e.getKey(), e.getKey());
                        config.put(key, String.valueOf(nodes.value(v)));
                    }
                }
                try {
                    NewTopic asked = new NewTopic(name, partitions, config);
                    asked.replicationFactor();
                    TopicConfig.of(asked.logConfig());
                } catch (InvalidTopicException e) {
                    throw new PipelineException(at, e.getMessage());
                } catch (InvalidConfigException e) {
                    throw new PipelineException(
                            at,
                            "topic '" + name + "': " + e.getMessage() + " (short names:"
                                    + " partitions, create, retention, cleanup, flush, segment-bytes, max-message-bytes,"
                                    + " replication-factor)");
                }
            }
            out.add(new TopicSpec(name, partitions, config, create, at));
        });
        return out;
    }

    private SourceSpec source(Node node) {
        Map<String, NodeTuple> m = nodes.mapping(node, "a source");
        Location at = nodes.at(node);
        String name = required(m, "name", at, "a source");
        String type = required(m, "type", at, "source '" + name + "'");
        String to = required(m, "to", at, "source '" + name + "'");
        return new SourceSpec(name, type, to, rest(m, SOURCE), at);
    }

    private StageSpec stage(Node node, boolean sink) {
        String what = sink ? "a sink" : "a stage";
        Map<String, NodeTuple> m = nodes.mapping(node, what);
        Location at = nodes.at(node);
        String name = required(m, "name", at, what);
        if (!sink) {
            if (m.containsKey("type")) {
                throw new PipelineException(
                        nodes.at(m.get("type").getKeyNode()),
                        "stage '" + name + "' has a 'type': connectors belong under 'sinks'; a stage writes to a topic"
                                + " with 'to'.");
            }
            checkKeys(m, STAGE, what);
        }
        List<String> from = new ArrayList<>();
        if (m.containsKey("from")) {
            Object f = nodes.value(m.get("from").getValueNode());
            from.addAll(Args.strings(f, nodes.at(m.get("from").getValueNode()), "from", "[clicks, views]"));
        } else {
            throw new PipelineException(
                    at, (sink ? "sink '" : "stage '") + name + "' needs 'from': the topic it reads.");
        }
        List<StepSpec> steps = m.containsKey("steps") ? steps(m.get("steps").getValueNode()) : List.of();
        String deadLetter =
                m.containsKey("dead-letter") ? nodes.text(m.get("dead-letter").getValueNode(), "'dead-letter'") : null;
        int parallelism = m.containsKey("parallelism")
                ? nodes.integer(m.get("parallelism").getValueNode(), "'parallelism'")
                : 0;
        boolean exactlyOnce = m.containsKey("guarantee") && guarantee(m.get("guarantee"), name);
        Output output;
        if (sink) {
            String type = required(m, "type", at, "sink '" + name + "'");
            output = new Output.ToSink(type, rest(m, SINK));
        } else {
            output = new Output.ToTopic(
                    m.containsKey("to") ? nodes.text(m.get("to").getValueNode(), "'to'") : null);
        }
        return new StageSpec(name, from, steps, output, deadLetter, parallelism, exactlyOnce, at);
    }

    /** {@code guarantee: exactly-once} or {@code at-least-once} (the default). */
    private boolean guarantee(NodeTuple t, String stage) {
        String value = nodes.text(t.getValueNode(), "'guarantee'");
        if (value.equals("exactly-once") || value.equals("at-least-once")) {
            return value.equals("exactly-once");
        }
        throw new PipelineException(
                nodes.at(t.getValueNode()),
                "stage '" + stage + "': guarantee '" + value + "' is not one of at-least-once, exactly-once.");
    }

    private List<StepSpec> steps(Node node) {
        List<StepSpec> out = new ArrayList<>();
        for (Node n : nodes.sequence(node, "'steps'")) {
            if (n instanceof org.yaml.snakeyaml.nodes.ScalarNode s) {
                throw new PipelineException(
                        nodes.at(n),
                        "step '" + s.getValue() + "' needs an argument, written as"
                                + " 'kind: argument', for example 'parse: json' or 'filter: \"event.amount > 0\"'.");
            }
            Map<String, NodeTuple> m = nodes.mapping(n, "a step");
            if (m.size() != 1) {
                throw new PipelineException(
                        nodes.at(n),
                        "a step is one 'kind: argument' pair, but this one has " + m.size() + " keys ("
                                + String.join(", ", m.keySet()) + "); put each step on its own '- ' line.");
            }
            Map.Entry<String, NodeTuple> e = m.entrySet().iterator().next();
            out.add(new StepSpec(
                    e.getKey(),
                    nodes.value(e.getValue().getValueNode()),
                    nodes.at(e.getValue().getKeyNode())));
        }
        return out;
    }

    private String required(Map<String, NodeTuple> m, String key, Location at, String what) {
        if (!m.containsKey(key)) {
            throw new PipelineException(at, what + " needs '" + key + "'.");
        }
        return nodes.text(m.get(key).getValueNode(), "'" + key + "'");
    }

    private Map<String, Object> rest(Map<String, NodeTuple> m, List<String> known) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, t) -> {
            if (!known.contains(k)) {
                Object value = nodes.value(t.getValueNode());
                if (value == null) {
                    throw new PipelineException(
                            nodes.at(t.getKeyNode()), "'" + k + "' has no value: give it one, or leave the key out.");
                }
                out.put(k, value);
            }
        });
        return out;
    }

    private void checkKeys(Map<String, NodeTuple> m, List<String> known, String what) {
        m.forEach((k, t) -> {
            if (!known.contains(k)) {
                throw new PipelineException(
                        nodes.at(t.getKeyNode()),
                        "unknown key '" + k + "' in " + what + "." + Args.suggest(k, known) + " Known keys: "
                                + String.join(", ", known) + ".");
            }
        });
    }
}
