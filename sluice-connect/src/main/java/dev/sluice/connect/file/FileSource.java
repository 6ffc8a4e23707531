package dev.sluice.connect.file;

import dev.sluice.broker.Event;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.connector.SourceConnector;
import dev.sluice.stream.json.Csv;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.PipelineException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code type: file}: lines of a file, as JSON lines (published as they are), CSV with a header row (each row published
 * as a JSON object) or plain text. With {@code follow: true} it keeps reading what is appended, like {@code tail -f}.
 * The byte offset after the last published line is its position, so a restart neither loses nor repeats lines.
 */
public final class FileSource implements SourceConnector {
    @Override
    public String type() {
        return "file";
    }

    @Override
    public String description() {
        return "lines of a file: JSON lines, CSV with a header, or text; optionally following appends";
    }

    @Override
    public List<ConfigKey> keys() {
        return List.of(
                ConfigKey.required("path", "input/clicks.jsonl", "the file to read"),
                ConfigKey.optional("format", "json", "json (one object per line), csv (header row) or text"),
                ConfigKey.optional("follow", "false", "keep reading lines appended to the file"),
                ConfigKey.optional("key", "user_id", "for json and csv: the field whose value is the event key"));
    }

    @Override
    public Source create(Config config, ConnectorContext context) {
        Path path = context.resolve(config.string("path"));
        String format = config.string("format", "json");
        if (!List.of("json", "csv", "text").contains(format)) {
            throw config.error("format", "must be json, csv or text; got '" + format + "'.");
        }
        String key = config.string("key", null);
        if (key != null && format.equals("text")) {
            throw config.error("key", "needs format json or csv: a text line has no fields.");
        }
        boolean follow = config.bool("follow", false);
        if (!follow && !Files.isReadable(path)) {
            throw new PipelineException(
                    config.location(), "file source reads " + path + ", which does not exist or" + " cannot be read.");
        }
        return new Reader(path, format, key, follow);
    }

    static final class Reader implements Source {
        private static final int MAX_BATCH = 2_000;

        private final Path path;
        private final String format;
        private final String key;
        private final boolean follow;
        private RandomAccessFile file;
        private long offset;
        /** Where the next read from the file starts: past the lines and the partial line already buffered. */
        private long readPosition;
        /** Every complete line the file had when it was opened has been read. */
        private boolean caughtUp;

        private List<String> header;
        private final byte[] chunk = new byte[64 * 1024];
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        private final java.util.ArrayDeque<byte[]> pendingLines = new java.util.ArrayDeque<>();

        Reader(Path path, String format, String key, boolean follow) {
            this.path = path;
            this.format = format;
            this.key = key;
            this.follow = follow;
        }

        @Override
        public void open(Map<String, Object> position) throws IOException {
            offset = position == null ? 0 : ((Number) position.get("offset")).longValue();
            readPosition = offset;
            if (position != null && position.get("header") instanceof List<?> h) {
                header = h.stream().map(String::valueOf).toList();
            }
        }

        @Override
        public Batch poll(Duration maxWait) throws Exception {
            if (file == null) {
                if (!Files.exists(path)) {
                    Thread.sleep(maxWait.toMillis());
                    return new Batch(List.of(), position());
                }
                file = new RandomAccessFile(path.toFile(), "r");
            }
            List<Event> events = new ArrayList<>();
            long consumed = offset;
            while (events.size() < MAX_BATCH) {
                byte[] line = nextLine();
                if (line == null) {
                    break;
                }
                consumed += line.length + 1;
                String text = stripCr(new String(line, StandardCharsets.UTF_8));
                if (format.equals("csv") && header == null) {
                    header = csvCells(text);
                    continue;
                }
                if (!text.isBlank()) {
                    events.add(event(text));
                }
            }
            offset = consumed;
            if (events.isEmpty()) {
                caughtUp = true;
                if (!follow && partial.size() == 0) {
                    return null;
                }
                Thread.sleep(Math.min(200, maxWait.toMillis()));
            }
            return new Batch(events, position());
        }

        @Override
        public boolean caughtUp() {
            return caughtUp;
        }

        private Map<String, Object> position() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("offset", offset);
            if (header != null) {
                p.put("header", header);
            }
            return p;
        }

        /** The next complete line (without the newline), or null if none is complete yet. */
        private byte[] nextLine() throws IOException {
            while (pendingLines.isEmpty()) {
                file.seek(readPosition);
                int n = file.read(chunk);
                if (n <= 0) {
                    if (!follow && partial.size() > 0) {
                        byte[] last = partial.toByteArray(); // a final line without a newline
                        partial.reset();
                        return last;
                    }
                    return null;
                }
                readPosition += n;
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        partial.write(chunk, start, i - start);
                        pendingLines.add(partial.toByteArray());
                        partial.reset();
                        start = i + 1;
                    }
                }
                partial.write(chunk, start, n - start);
            }
            return pendingLines.removeFirst();
        }

        private Event event(String text) throws IOException {
            long now = System.currentTimeMillis();
            if (format.equals("text")) {
                return Event.of((byte[]) null, text.getBytes(StandardCharsets.UTF_8), now);
            }
            Map<String, Object> fields;
            byte[] value;
            if (format.equals("csv")) {
                List<String> cells = csvCells(text);
                fields = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    fields.put(header.get(i), i < cells.size() ? cells.get(i) : null);
                }
                value = Json.write(fields);
            } else {
                value = text.getBytes(StandardCharsets.UTF_8);
                fields = key == null ? null : tryParse(value);
            }
            Object k = key == null || fields == null ? null : fields.get(key);
            return Event.of(k == null ? null : k.toString().getBytes(StandardCharsets.UTF_8), value, now);
        }

        /** Invalid JSON is still published (the stage dead-letters it with the reason); it just has no key. */
        private static Map<String, Object> tryParse(byte[] value) {
            try {
                return Json.parseObject(value);
            } catch (RuntimeException e) {
                return null;
            }
        }

        private static List<String> csvCells(String line) throws IOException {
            return Csv.cells(line, ',');
        }

        private static String stripCr(String s) {
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        @Override
        public void close() throws IOException {
            if (file != null) {
                file.close();
            }
        }
    }
}
