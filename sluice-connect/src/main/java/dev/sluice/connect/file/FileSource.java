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
import java.util.Arrays;
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
        /** The bytes of a line begun in an earlier chunk, and how many there are. */
        private byte[] partial = new byte[1024];

        private int partialLength;
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
                line = stripCr(line);
                if (format.equals("csv") && header == null) {
                    header = csvCells(new String(line, StandardCharsets.UTF_8));
                    continue;
                }
                if (!isBlank(line)) {
                    events.add(event(line));
                }
            }
            offset = consumed;
            if (events.isEmpty()) {
                caughtUp = true;
                if (!follow && partialLength == 0) {
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
                    if (!follow && partialLength > 0) {
                        byte[] last = Arrays.copyOf(partial, partialLength); // a final line without a newline
                        partialLength = 0;
                        return last;
                    }
                    return null;
                }
                readPosition += n;
                int start = 0;
                for (int i = Newlines.next(chunk, 0, n); i >= 0; i = Newlines.next(chunk, start, n)) {
                    pendingLines.add(lineEndingAt(start, i));
                    start = i + 1;
                }
                appendPartial(start, n);
            }
            return pendingLines.removeFirst();
        }

        /** The line ending before {@code end} in the chunk, with the part of it read before the chunk. */
        private byte[] lineEndingAt(int start, int end) {
            if (partialLength == 0) {
                return Arrays.copyOfRange(chunk, start, end);
            }
            appendPartial(start, end);
            byte[] line = Arrays.copyOf(partial, partialLength);
            partialLength = 0;
            return line;
        }

        private void appendPartial(int start, int end) {
            int length = end - start;
            if (partialLength + length > partial.length) {
                partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLength + length));
            }
            System.arraycopy(chunk, start, partial, partialLength, length);
            partialLength += length;
        }

        private Event event(byte[] line) throws IOException {
            long now = System.currentTimeMillis();
            if (format.equals("text")) {
                return Event.of((byte[]) null, line, now);
            }
            byte[] value;
            Object k;
            if (format.equals("csv")) {
                List<String> cells = csvCells(new String(line, StandardCharsets.UTF_8));
                Map<String, Object> fields = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    fields.put(header.get(i), i < cells.size() ? cells.get(i) : null);
                }
                value = Json.write(fields);
                k = key == null ? null : fields.get(key);
            } else {
                value = line;
                // invalid JSON is still published (the stage dead-letters it with the reason); it just has no key
                k = key == null ? null : Json.topLevelField(value, key);
            }
            return Event.of(k == null ? null : k.toString().getBytes(StandardCharsets.UTF_8), value, now);
        }

        private static List<String> csvCells(String line) throws IOException {
            return Csv.cells(line, ',');
        }

        private static byte[] stripCr(byte[] line) {
            return line.length > 0 && line[line.length - 1] == '\r' ? Arrays.copyOf(line, line.length - 1) : line;
        }

        /** Nothing but spaces and control characters, as {@link String#isBlank} has it for ASCII. */
        private static boolean isBlank(byte[] line) {
            for (byte b : line) {
                if (b != ' ' && !(b >= 0x09 && b <= 0x0d) && !(b >= 0x1c && b <= 0x1f)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            if (file != null) {
                file.close();
            }
        }
    }
}
