package dev.sluice.app.cli;

import dev.sluice.app.cli.UserErrors.UserException;
import dev.sluice.broker.Broker;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.broker.Producer;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice produce}: publishes one event per input line. A file is checked completely before anything is sent, so
 * a bad line sends nothing; from stdin, lines are sent as they come and the first bad line stops the command.
 */
@Command(
        name = "produce",
        description = "Publish events, one per line of JSON or text, from a file or stdin.",
        mixinStandardHelpOptions = true)
public final class ProduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "Read events from FILE instead of stdin.")
    Path file;

    @Option(
            names = "--format",
            defaultValue = "json",
            description = "json (one object per line) or text (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = {"-k", "--key"},
            description = "Key of every event.")
    String key;

    @Option(
            names = "--key-field",
            paramLabel = "FIELD",
            description = "Take each event's key from this JSON field (a.b for nested).")
    String keyField;

    @Option(
            names = "--timestamp-field",
            paramLabel = "FIELD",
            description = "Take each event's time from this JSON field (epoch ms or ISO-8601); default: now.")
    String timestampField;

    @Option(
            names = {"-p", "--partition"},
            description = "Send every event to this partition instead of choosing by key.")
    Integer partition;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "KEY=VALUE",
            description = "Header added to every event, repeatable.")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    private record Sent(long line, CompletableFuture<SendResult> result) {}

    @Override
    public Integer call() {
        EventLine parser = new EventLine(format(), key, keyField, timestampField, headerList());
        String source = file == null ? "stdin" : file.toString();
        long total = file == null ? 0 : checkAll(parser, source);
        PrintWriter out = spec.commandLine().getOut();
        List<Sent> sent = new ArrayList<>();
        Progress progress = new Progress(spec.commandLine().getErr(), "produced", total);
        try (Broker b = BrokerOptions.of(spec).open();
                Producer producer = b.producer();
                BufferedReader in = open()) {
            b.admin().describeTopic(topic); // a clear error for an unknown topic before reading any input
            long lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Event event;
                try {
                    event = parser.parse(line, System.currentTimeMillis());
                } catch (UserException e) {
                    producer.flush();
                    throw new UserException(source + ":" + lineNumber + ": " + e.getMessage() + " (" + sent.size()
                            + " events before this line were produced)");
                }
                CompletableFuture<SendResult> result = partition == null
                        ? producer.send(topic, event)
                        : producer.send(new TopicPartition(topic, partition), event);
                sent.add(new Sent(lineNumber, result));
                progress.update(sent.size());
            }
            producer.flush();
        } catch (IOException e) {
            throw new UserException("Cannot read " + source + ": " + e.getMessage());
        }
        progress.done();
        return report(out, sent, source, progress.seconds());
    }

    private int report(PrintWriter out, List<Sent> sent, String source, double seconds) {
        Map<Integer, Long> perPartition = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Sent s : sent) {
            try {
                perPartition.merge(s.result().get().partition(), 1L, Long::sum);
            } catch (ExecutionException e) {
                if (failures.size() < 10) {
                    failures.add(source + ":" + s.line() + ": " + e.getCause().getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserException("interrupted");
            }
        }
        long ok = perPartition.values().stream().mapToLong(Long::longValue).sum();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("topic", topic);
            m.put("produced", ok);
            m.put("failed", sent.size() - ok);
            m.put("partitions", perPartition);
            m.put("seconds", seconds);
            out.println(Output.json(m));
        } else {
            out.printf(
                    "Produced %s events to %s in %.2f s%s%n",
                    Output.count(ok),
                    topic,
                    seconds,
                    perPartition.isEmpty() ? "" : " (per partition: " + perPartition + ")");
        }
        out.flush();
        if (!failures.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + (sent.size() - ok) + " events were not produced:");
            failures.forEach(f -> err.println("  " + f));
            err.flush();
            return UserErrors.FAILURE;
        }
        return 0;
    }

    /** Parses every line of the file first; returns the number of lines, or throws listing the bad ones. */
    private long checkAll(EventLine parser, String source) {
        List<String> problems = new ArrayList<>();
        long lines = 0;
        try (BufferedReader in = open()) {
            for (String line = in.readLine(); line != null && problems.size() < 10; line = in.readLine()) {
                lines++;
                if (!line.isBlank()) {
                    try {
                        parser.parse(line, 0);
                    } catch (UserException e) {
                        problems.add(source + ":" + lines + ": " + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UserException("Cannot read " + source + ": " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new UserException(String.join(System.lineSeparator() + "error: ", problems) + System.lineSeparator()
                    + "Nothing was produced: fix the lines above and run the command again.");
        }
        return lines;
    }

    private BufferedReader open() throws IOException {
        if (file == null) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserException("File " + file + " does not exist.");
        }
    }

    private EventLine.Format format() {
        return switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "json", "jsonl", "ndjson" -> EventLine.Format.JSON;
            case "text", "txt" -> EventLine.Format.TEXT;
            default -> throw new UserException("Unknown --format '" + format + "': use json or text.");
        };
    }

    private List<Header> headerList() {
        List<Header> out = new ArrayList<>();
        headers.forEach((k, v) -> out.add(Header.of(k, v)));
        return out;
    }
}
