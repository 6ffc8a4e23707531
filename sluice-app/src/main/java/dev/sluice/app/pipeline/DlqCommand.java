package dev.sluice.app.pipeline;

import dev.sluice.app.cli.BrokerOptions;
import dev.sluice.app.cli.Output;
import dev.sluice.app.cli.UserErrors.UserException;
import dev.sluice.broker.Broker;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.Producer;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.runtime.DeadLetters;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice dlq list|show|replay}: inspect dead letters and send them back once the cause is fixed. */
@Command(
        name = "dlq",
        description = "Inspect dead-letter topics and replay their events.",
        mixinStandardHelpOptions = true,
        subcommands = {DlqCommand.ListDlq.class, DlqCommand.Show.class, DlqCommand.Replay.class})
public final class DlqCommand implements Runnable {
    static final String REPLAY_GROUP = "sluice-dlq-replay";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "list",
            description = "Dead-letter topics (and windows' late-events topics) with their event counts.",
            mixinStandardHelpOptions = true)
    static final class ListDlq implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Broker b = BrokerOptions.of(spec).open()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (String t : b.admin().listTopics(false)) {
                    if (t.endsWith(".dlq") || t.endsWith(".late")) { // dead letters, and windows' late events
                        long events = b.admin().describeTopic(t).partitions().stream()
                                .mapToLong(p -> p.events())
                                .sum();
                        long pending = events - replayed(b, t);
                        rows.add(Map.of("topic", t, "events", events, "notReplayed", Math.max(0, pending)));
                    }
                }
                if (json) {
                    out.println(Output.json(rows));
                } else if (rows.isEmpty()) {
                    out.println("No dead-letter topics.");
                } else {
                    List<List<String>> table = new ArrayList<>();
                    table.add(List.of("TOPIC", "EVENTS", "NOT REPLAYED"));
                    rows.forEach(r -> table.add(
                            List.of((String) r.get("topic"), Output.count((Long) r.get("events")), Output.count((Long)
                                    r.get("notReplayed")))));
                    Output.table(out, table);
                }
            }
            out.flush();
        }
    }

    @Command(
            name = "show",
            description = "Dead letters with why and where they failed.",
            mixinStandardHelpOptions = true)
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(
                names = {"-n", "--max"},
                defaultValue = "20",
                description = "Show at most N events (default: ${DEFAULT-VALUE}).")
        int max;

        @Option(names = "--json", description = "One JSON object per event.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Broker b = BrokerOptions.of(spec).open()) {
                List<ConsumedEvent> events = readAll(b, topic, max);
                for (ConsumedEvent e : events) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("offset", e.offset());
                    m.put("stage", DeadLetters.header(e.headers(), DeadLetters.STAGE));
                    m.put("step", DeadLetters.header(e.headers(), DeadLetters.STEP));
                    m.put("error", DeadLetters.header(e.headers(), DeadLetters.MESSAGE));
                    m.put(
                            "from",
                            DeadLetters.header(e.headers(), DeadLetters.TOPIC) + "/"
                                    + DeadLetters.header(e.headers(), DeadLetters.PARTITION) + "@"
                                    + DeadLetters.header(e.headers(), DeadLetters.OFFSET));
                    m.put("failedAt", DeadLetters.header(e.headers(), DeadLetters.FAILED_AT));
                    m.put("key", e.keyAsString());
                    m.put("value", e.valueAsString());
                    if (json) {
                        out.println(Output.json(m));
                    } else {
                        out.printf(
                                "#%d  %s  step %s of %s  (from %s)%n    error: %s%n    value: %s%n",
                                e.offset(),
                                m.get("failedAt"),
                                m.get("step"),
                                m.get("stage"),
                                m.get("from"),
                                m.get("error"),
                                abbreviate(e.valueAsString()));
                    }
                }
                if (!json) {
                    out.println(
                            events.isEmpty()
                                    ? "No dead letters in " + topic + "."
                                    : "Replay them after fixing the" + " cause: sluice dlq replay " + topic);
                }
            }
            out.flush();
        }
    }

    @Command(
            name = "replay",
            description = "Send dead letters back to the topics they came from (each one once).",
            mixinStandardHelpOptions = true)
    static final class Replay implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = "--to", paramLabel = "TOPIC", description = "Send them here instead of their original topics.")
        String to;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Integer> perTopic = new TreeMap<>();
            try (Broker b = BrokerOptions.of(spec).open()) {
                b.admin().describeTopic(topic);
                try (Consumer c = b.consumer(
                                ConsumerConfig.group(REPLAY_GROUP + "." + topic).withMaxPollEvents(1000));
                        Producer p = b.producer()) {
                    c.subscribe(List.of(topic));
                    List<ConsumedEvent> batch;
                    while (!(batch = c.poll(Duration.ofMillis(500))).isEmpty()) {
                        List<CompletableFuture<SendResult>> sent = new ArrayList<>();
                        for (ConsumedEvent e : batch) {
                            String target = to != null ? to : DeadLetters.header(e.headers(), DeadLetters.TOPIC);
                            if (target == null) {
                                throw new UserException("Event " + e.offset() + " of " + topic + " has no "
                                        + DeadLetters.TOPIC + " header; give the target with --to.");
                            }
                            sent.add(p.send(
                                    target,
                                    new Event(
                                            e.key(),
                                            e.value(),
                                            DeadLetters.originalHeaders(e.headers()),
                                            e.timestamp())));
                            perTopic.merge(target, 1, Integer::sum);
                        }
                        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                                .join();
                        c.commitSync();
                    }
                }
            }
            if (json) {
                out.println(Output.json(Map.of("replayed", perTopic)));
            } else if (perTopic.isEmpty()) {
                out.println("Nothing to replay: every event of " + topic + " was replayed before.");
            } else {
                perTopic.forEach((t, n) -> out.println("Replayed " + Output.count(n) + " events to " + t + "."));
            }
            out.flush();
        }
    }

    static long replayed(Broker b, String topic) {
        return b.admin().describeGroup(REPLAY_GROUP + "." + topic).partitions().stream()
                .mapToLong(p -> p.committed())
                .sum();
    }

    static List<ConsumedEvent> readAll(Broker b, String topic, int max) {
        int partitions = b.admin().describeTopic(topic).partitions().size();
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            tps.add(new TopicPartition(topic, i));
        }
        List<ConsumedEvent> out = new ArrayList<>();
        try (Consumer c = b.consumer(ConsumerConfig.defaults().withMaxPollEvents(Math.max(1, max)))) {
            c.assign(tps);
            Map<TopicPartition, Long> ends = b.admin().endOffsets(tps);
            while (out.size() < max && tps.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                out.addAll(c.poll(Duration.ofMillis(500)));
            }
        }
        return out.size() > max ? out.subList(0, max) : out;
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
