package dev.sluice.app.cli;

import dev.sluice.app.cli.UserErrors.UserException;
import dev.sluice.broker.Broker;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Header;
import dev.sluice.broker.RebalanceListener;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.WakeupException;
import dev.sluice.log.config.Durations;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice consume}: prints events of a topic, then exits when it has caught up with the end (or keeps going
 * with {@code --follow}). As a group member it commits what it printed.
 */
@Command(
        name = "consume",
        description = "Print events of a topic: from the beginning, an offset or a time; alone or as a group.",
        mixinStandardHelpOptions = true)
public final class ConsumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TOPIC")
    String topic;

    static final class Start {
        @Option(names = "--from-beginning", description = "Start at the oldest event (the default without --group).")
        boolean beginning;

        @Option(names = "--from-end", description = "Start after the newest event: print only new events.")
        boolean end;

        @Option(names = "--offset", paramLabel = "N", description = "Start at offset N (needs --partition).")
        Long offset;

        @Option(
                names = "--from-time",
                paramLabel = "TIME",
                description = "Start at the first event at or after TIME: ISO-8601 (2026-11-25T13:00:00Z), epoch"
                        + " milliseconds, or an age such as 10m or 2h (that long ago).")
        String time;
    }

    private final Map<TopicPartition, Long> done = new HashMap<>();

    /** Set by SIGTERM or Ctrl-C ({@link #stop}). */
    private volatile boolean stopped;

    /** The consumer while there is one, for {@link #stop} to wake. */
    private volatile Consumer consumer;

    @ArgGroup(exclusive = true)
    Start start = new Start();

    @Option(
            names = {"-p", "--partition"},
            description = "Read only this partition.")
    Integer partition;

    @Option(
            names = {"-g", "--group"},
            description = "Consume as a member of this group, resuming from and committing its offsets.")
    String group;

    @Option(
            names = {"-n", "--max"},
            paramLabel = "N",
            description = "Stop after N events.")
    Long max;

    @Option(
            names = {"-F", "--follow"},
            description = "Keep waiting for new events instead of exiting at the end (Ctrl-C stops).")
    boolean follow;

    @Option(names = "--print-key", description = "Print the key, a tab, then the value.")
    boolean printKey;

    @Option(
            names = "--json",
            description =
                    "Print each event as a JSON object with its topic, partition, offset, time, key, value and headers.")
    boolean json;

    @Override
    public Integer call() {
        if (start.offset != null && partition == null) {
            throw new UserException("--offset needs --partition: offsets are per partition.");
        }
        if (group != null && partition != null) {
            throw new UserException("--group and --partition cannot be combined: the group decides which partitions"
                    + " this member reads.");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (StopSignal signal = StopSignal.install(
                this::stop, Duration.ofSeconds(30), spec.commandLine().getErr())) {
            long printed = consume(out);
            out.flush();
            if (!json) {
                spec.commandLine()
                        .getErr()
                        .println("Consumed " + Output.count(printed) + " events from " + topic + ".");
                spec.commandLine().getErr().flush();
            }
        }
        return 0;
    }

    /** SIGTERM or Ctrl-C: the loop ends after what it is printing, and the printed events are committed. */
    private void stop() {
        stopped = true;
        Consumer c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private long consume(PrintWriter out) {
        try (Broker b = BrokerOptions.of(spec).open()) {
            int partitions = b.admin().describeTopic(topic).partitions().size();
            if (partition != null && (partition < 0 || partition >= partitions)) {
                throw new UserException("Partition " + partition + " does not exist: topic " + topic + " has "
                        + partitions + " partitions (0-" + (partitions - 1) + ").");
            }
            ConsumerConfig config = group == null ? ConsumerConfig.defaults() : ConsumerConfig.group(group);
            try (Consumer c = b.consumer(config)) {
                consumer = c;
                Map<TopicPartition, Long> ends = new HashMap<>();
                if (group == null) {
                    List<TopicPartition> tps = new ArrayList<>();
                    for (int p = 0; p < partitions; p++) {
                        if (partition == null || partition == p) {
                            tps.add(new TopicPartition(topic, p));
                        }
                    }
                    c.assign(tps);
                    applyStart(c, tps, true);
                    ends.putAll(b.admin().endOffsets(tps));
                } else {
                    c.subscribe(List.of(topic), new RebalanceListener() {
                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                            applyStart(c, assigned, false);
                            ends.putAll(b.admin().endOffsets(assigned));
                        }
                    });
                }
                long printed = loop(c, ends, out);
                try {
                    commitPrinted(c);
                } catch (WakeupException lateSignal) { // the signal came after the loop: the wakeup is spent now
                    commitPrinted(c);
                }
                return printed;
            } finally {
                consumer = null;
            }
        }
    }

    private long loop(Consumer consumer, Map<TopicPartition, Long> ends, PrintWriter out) {
        long printed = 0;
        long idleSince = System.nanoTime();
        try {
            while (!stopped && (max == null || printed < max)) {
                List<ConsumedEvent> events = consumer.poll(Duration.ofMillis(200));
                for (ConsumedEvent e : events) {
                    out.println(
                            json
                                    ? Output.json(toJson(e))
                                    : (printKey ? e.keyAsString() + "\t" : "") + e.valueAsString());
                    printed++;
                    done.put(e.topicPartition(), e.offset() + 1);
                    if (max != null && printed >= max) {
                        break;
                    }
                }
                out.flush();
                commitPrinted(consumer);
                if (!events.isEmpty()) {
                    idleSince = System.nanoTime();
                }
                if (!follow && caughtUp(consumer, ends, idleSince)) {
                    break;
                }
            }
        } catch (WakeupException stopped) {
            // Ctrl-C: the caller commits what was printed
        }
        return printed;
    }

    /** Commits, for a group, the offsets after the events printed so far (not after those merely fetched). */
    private void commitPrinted(Consumer consumer) {
        if (group != null && !done.isEmpty()) {
            Map<TopicPartition, Long> owned = new HashMap<>(done);
            owned.keySet().retainAll(consumer.assignment());
            consumer.commitSync(owned);
            done.clear();
        }
    }

    private boolean caughtUp(Consumer consumer, Map<TopicPartition, Long> ends, long idleSince) {
        if (consumer.assignment().isEmpty()) {
            // a group member may have to wait for its partitions; give up after 5 idle seconds
            return System.nanoTime() - idleSince > 5_000_000_000L;
        }
        for (TopicPartition tp : consumer.assignment()) {
            Long end = ends.get(tp);
            if (end == null || consumer.position(tp) < end) {
                return false;
            }
        }
        return true;
    }

    private void applyStart(Consumer consumer, Collection<TopicPartition> tps, boolean defaultToBeginning) {
        if (start.end) {
            consumer.seekToEnd(tps);
        } else if (start.offset != null) {
            tps.forEach(tp -> consumer.seek(tp, start.offset));
        } else if (start.time != null) {
            consumer.seekToTimestamp(tps, parseTime(start.time));
        } else if (start.beginning || defaultToBeginning) {
            consumer.seekToBeginning(tps);
        }
    }

    static long parseTime(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            // not ISO-8601: try the other forms
        }
        if (text.matches("\\d{11,}")) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLarge) {
                throw new UserException("--from-time '" + text + "' is past the largest time there is; give"
                        + " epoch milliseconds (13 digits today), ISO-8601 (2026-11-25T13:00:00Z) or an age (10m).");
            }
        }
        try {
            return System.currentTimeMillis() - Durations.parseMillis(text);
        } catch (IllegalArgumentException e) {
            throw new UserException("--from-time '" + text + "' is not a time: use ISO-8601 (2026-11-25T13:00:00Z),"
                    + " epoch milliseconds, or an age such as 10m or 2h.");
        }
    }

    static Map<String, Object> toJson(ConsumedEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", e.topic());
        m.put("partition", e.partition());
        m.put("offset", e.offset());
        m.put("timestamp", e.timestamp());
        putBytes(m, "key", e.key());
        putBytes(m, "value", e.value());
        if (!e.headers().isEmpty()) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : e.headers()) {
                headers.put(h.key(), h.valueAsString());
            }
            m.put("headers", headers);
        }
        return m;
    }

    /** Text when the bytes are UTF-8, otherwise base64 with a {@code <name>Encoding} field saying so. */
    private static void putBytes(Map<String, Object> m, String name, byte[] bytes) {
        if (bytes == null) {
            m.put(name, null);
            return;
        }
        try {
            m.put(
                    name,
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(ByteBuffer.wrap(bytes))
                            .toString());
        } catch (CharacterCodingException e) {
            m.put(name, Base64.getEncoder().encodeToString(bytes));
            m.put(name + "Encoding", "base64");
        }
    }
}
