package dev.sluice.app.cli;

import dev.sluice.broker.Broker;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.TopicDescription;
import dev.sluice.broker.TopicDescription.PartitionInfo;
import dev.sluice.log.config.TopicConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice topics create|list|describe|alter|delete}. */
@Command(
        name = "topics",
        description = "Create, list, describe, alter and delete topics.",
        mixinStandardHelpOptions = true,
        subcommands = {
            TopicsCommand.Create.class,
            TopicsCommand.ListTopics.class,
            TopicsCommand.Describe.class,
            TopicsCommand.Alter.class,
            TopicsCommand.Delete.class
        })
public final class TopicsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", description = "Create a topic.", mixinStandardHelpOptions = true)
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "Topic name: letters, digits, '.', '_' and '-'.")
        String name;

        @Option(
                names = {"-p", "--partitions"},
                defaultValue = "1",
                description = "Number of partitions (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "KEY=VALUE",
                description = "Topic setting, repeatable: retention.ms=7d, cleanup.policy=compact, flush.policy=os,"
                        + " segment.bytes=256MiB, max.message.bytes=1MiB, ...")
        Map<String, String> config = new LinkedHashMap<>();

        @Override
        public void run() {
            NewTopic topic = new NewTopic(name, partitions, config);
            topic.replicationFactor(); // validate before touching the data directory or the cluster
            TopicConfig.of(topic.logConfig());
            try (Broker b = BrokerOptions.of(spec).open()) {
                b.admin().createTopic(topic);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("Created topic " + name + " with " + partitions
                    + (partitions == 1 ? " partition." : " partitions."));
            out.flush();
        }
    }

    @Command(name = "list", description = "List topics.", mixinStandardHelpOptions = true)
    static final class ListTopics implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--internal", description = "Include internal topics (__consumer_offsets).")
        boolean internal;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Broker b = BrokerOptions.of(spec).open()) {
                List<TopicDescription> topics = new ArrayList<>();
                for (String name : b.admin().listTopics(internal)) {
                    topics.add(b.admin().describeTopic(name));
                }
                if (json) {
                    out.println(Output.json(
                            topics.stream().map(TopicsCommand::toJson).toList()));
                } else if (topics.isEmpty()) {
                    out.println("No topics. Create one with: sluice topics create NAME --partitions N");
                } else {
                    List<List<String>> rows = new ArrayList<>();
                    rows.add(List.of("TOPIC", "PARTITIONS", "EVENTS", "SIZE"));
                    for (TopicDescription t : topics) {
                        long events = t.partitions().stream()
                                .mapToLong(PartitionInfo::events)
                                .sum();
                        long size = t.partitions().stream()
                                .mapToLong(PartitionInfo::sizeBytes)
                                .sum();
                        rows.add(List.of(
                                t.name(), Integer.toString(t.partitions().size()), Output.count(events), human(size)));
                    }
                    Output.table(out, rows);
                }
            }
            out.flush();
        }
    }

    @Command(
            name = "describe",
            description = "Show a topic's partitions and settings.",
            mixinStandardHelpOptions = true)
    static final class Describe implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            TopicDescription t;
            try (Broker b = BrokerOptions.of(spec).open()) {
                t = b.admin().describeTopic(name);
            }
            if (json) {
                out.println(Output.json(toJson(t)));
            } else {
                out.println("Topic " + t.name() + ", " + t.partitions().size() + " partitions");
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("PARTITION", "START", "END", "EVENTS", "SIZE"));
                for (PartitionInfo p : t.partitions()) {
                    rows.add(List.of(
                            Integer.toString(p.partition()),
                            Long.toString(p.startOffset()),
                            Long.toString(p.endOffset()),
                            Output.count(p.events()),
                            human(p.sizeBytes())));
                }
                Output.table(out, rows);
                out.println();
                out.println("Settings:");
                new java.util.TreeMap<>(t.config()).forEach((k, v) -> out.println("  " + k + " = " + v));
            }
            out.flush();
        }
    }

    @Command(
            name = "alter",
            description = "Change settings of a topic, keeping the others. New appends, segments and retention and"
                    + " compaction runs use them.",
            mixinStandardHelpOptions = true)
    static final class Alter implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "KEY=VALUE",
                required = true,
                description = "Topic setting to change, repeatable: retention.ms=30d, max.message.bytes=4MiB, ...")
        Map<String, String> config = new LinkedHashMap<>();

        @Override
        public void run() {
            if (config.containsKey("partitions")) {
                throw new UserErrors.UserException("The partition count of a topic cannot be changed here: that"
                        + " would move keys, and so state, to other partitions. Create a new topic and copy the events"
                        + " (a pipeline stage from one to the other).");
            }
            TopicConfig.of(new NewTopic(name, 1, config).logConfig()); // validate before opening anything
            try (Broker b = BrokerOptions.of(spec).open()) {
                b.admin().alterTopicConfig(name, config);
            }
            PrintWriter out = spec.commandLine().getOut();
            config.forEach((k, v) -> out.println("Set " + k + "=" + v + " on topic " + name + "."));
            out.flush();
        }
    }

    @Command(name = "delete", description = "Delete a topic and all its events.", mixinStandardHelpOptions = true)
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            try (Broker b = BrokerOptions.of(spec).open()) {
                b.admin().deleteTopic(name);
            }
            spec.commandLine().getOut().println("Deleted topic " + name + ".");
            spec.commandLine().getOut().flush();
        }
    }

    static Map<String, Object> toJson(TopicDescription t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("partitions", t.partitions());
        m.put("config", new java.util.TreeMap<>(t.config()));
        return m;
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
