package dev.sluice.bench.pipelines;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads what an engine wrote (JSON lines, in every file of an output directory and its subdirectories whose name does
 * not start with a dot) into an {@link Answer}. Files under a name starting with a dot (Flink's in-progress part
 * files, Sluice's {@code .in-progress/}) are not results; those that hold data are counted as leftovers.
 *
 * <p>A line that is not what the workload writes (another set of fields, a field of the wrong type) fails the check
 * with the file, line number and line, since a wrong answer must never pass as a slow one.
 */
final class Outputs {
    private static final JsonFactory JSON = new JsonFactory();

    private Outputs() {}

    /** W1: rows of exactly {@code event_id} (a whole number), {@code ts}, {@code user_id} and {@code page}. */
    static Answer w1(Path dir) throws IOException {
        Tally[] tally = {Tally.EMPTY};
        Map<String, Long> perPage = new HashMap<>();
        long leftovers = read(dir, fields -> {
            require(fields.size() == 4, "4 fields (event_id, ts, user_id, page)", fields);
            Object id = fields.get("event_id");
            require(id instanceof Long, "a whole number as event_id", fields);
            String page = text(fields, "page");
            tally[0] = tally[0].plus(Tally.w1Row((Long) id, text(fields, "ts"), text(fields, "user_id"), page), 1);
            perPage.merge(page, 1L, Long::sum);
        });
        return new Answer(Map.of("clicks", tally[0]), perPage, leftovers);
    }

    /** W2: the rows in {@code dir/pages} (by {@code page}) and {@code dir/users} (by {@code user_id}). */
    static Answer w2(Path dir) throws IOException {
        Map<String, Tally> parts = new HashMap<>();
        long leftovers = 0;
        for (String[] part : new String[][] {{"pages", "page"}, {"users", "user_id"}}) {
            Tally[] tally = {Tally.EMPTY};
            leftovers += read(dir.resolve(part[0]), fields -> {
                long start = Instant.parse(text(fields, "window_start")).toEpochMilli();
                long end = Instant.parse(text(fields, "window_end")).toEpochMilli();
                require(end - start == Expected.WINDOW_MS, "a one-minute window", fields);
                require(fields.get("clicks") instanceof Long, "a whole number as clicks", fields);
                long count = (Long) fields.get("clicks");
                tally[0] = tally[0].plus(Tally.w2Row(part[1], text(fields, part[1]), start, count), count);
            });
            parts.put(part[0], tally[0]);
        }
        return new Answer(parts, Map.of(), leftovers);
    }

    /** Calls {@code row} with the top-level fields of every line; returns the number of hidden files with data. */
    private static long read(Path dir, Consumer<Map<String, Object>> row) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no output directory " + dir + ": the engine wrote nothing there");
        }
        List<Path> files = new ArrayList<>();
        long leftovers = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                if (hidden(dir, f)) {
                    leftovers += Files.size(f) > 0 ? 1 : 0;
                } else {
                    files.add(f);
                }
            }
        }
        for (Path f : files) {
            readFile(f, row);
        }
        return leftovers;
    }

    private static boolean hidden(Path dir, Path file) {
        for (Path name : dir.relativize(file)) {
            if (name.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static void readFile(Path file, Consumer<Map<String, Object>> row) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file)) {
            long number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                try {
                    row.accept(fields(line));
                } catch (RuntimeException | IOException e) {
                    throw new IllegalStateException(
                            file + ":" + number + ": " + e.getMessage() + " in the line " + line, e);
                }
            }
        }
    }

    /** The top-level fields of a flat JSON object: text as String, whole numbers as Long, anything else as text. */
    static Map<String, Object> fields(String line) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_NUMBER_INT) {
                    fields.put(name, p.getLongValue());
                } else if (value.isStructStart()) {
                    p.skipChildren();
                    fields.put(name, "(nested)");
                } else {
                    fields.put(name, p.getValueAsString());
                }
            }
        }
        return fields;
    }

    private static String text(Map<String, Object> fields, String name) {
        Object value = fields.get(name);
        require(value instanceof String, "text as " + name, fields);
        return (String) value;
    }

    private static void require(boolean ok, String what, Map<String, Object> fields) {
        if (!ok) {
            throw new IllegalStateException("expected " + what + ", got fields " + fields);
        }
    }
}
