package dev.sluice.connect.file;

import dev.sluice.log.config.ByteSizes;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkConnector;
import dev.sluice.stream.connector.SinkException;
import dev.sluice.stream.connector.TransactionalSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code type: file}: appends each event's value as one line (JSON lines for parsed events) to files in a directory,
 * one file per task at a time, rolled by size and age: {@code <dir>/<sink>-<task>-<n>.jsonl}. A write returns once the
 * lines are handed to the operating system ({@code fsync: true} also forces them to disk).
 */
public final class FileSink implements SinkConnector {
    @Override
    public String type() {
        return "file";
    }

    @Override
    public String description() {
        return "JSON lines files in a directory, rolled by size and age";
    }

    @Override
    public List<ConfigKey> keys() {
        return List.of(
                ConfigKey.required("path", "out/clicks", "the directory to write into (created if missing)"),
                ConfigKey.optional("roll-size", "64MiB", "start a new file after this many bytes"),
                ConfigKey.optional("roll-every", "1h", "start a new file after this long"),
                ConfigKey.optional("fsync", "false", "force each write to disk before the offsets are committed"));
    }

    @Override
    public Sink create(Config config, ConnectorContext context) {
        Path dir = context.resolve(config.string("path"));
        long rollBytes;
        try {
            rollBytes = config.has("roll-size") ? ByteSizes.parse(config.string("roll-size")) : 64L << 20;
        } catch (IllegalArgumentException e) {
            throw config.error("roll-size", e.getMessage());
        }
        long rollMs = config.durationMillis("roll-every", 3_600_000);
        boolean fsync = config.bool("fsync", false);
        return new Writer(dir, context.name() + "-" + context.task(), rollBytes, rollMs, fsync);
    }

    @Override
    public boolean supportsExactlyOnce() {
        return true;
    }

    @Override
    public TransactionalSink createExactlyOnce(Config config, ConnectorContext context) {
        for (String key : List.of("roll-size", "roll-every", "fsync")) {
            if (config.has(key)) {
                throw config.error(
                        key,
                        "an exactly-once file sink cuts a file per input partition at each commit (every"
                                + " --checkpoint-interval) and forces it to disk; remove '" + key + "'");
            }
        }
        return new TwoPhaseFiles(context.resolve(config.string("path")), context.name());
    }

    static final class Writer implements Sink {
        private final Path dir;
        private final String prefix;
        private final long rollBytes;
        private final long rollMs;
        private final boolean fsync;
        private FileChannel channel;
        private OutputStream out;
        private long written;
        private long openedAt;

        Writer(Path dir, String prefix, long rollBytes, long rollMs, boolean fsync) {
            this.dir = dir;
            this.prefix = prefix;
            this.rollBytes = rollBytes;
            this.rollMs = rollMs;
            this.fsync = fsync;
        }

        @Override
        public void open() throws IOException {
            Files.createDirectories(dir);
        }

        @Override
        public void write(List<StreamRecord> records) throws SinkException {
            try {
                if (out == null || written >= rollBytes || System.currentTimeMillis() - openedAt >= rollMs) {
                    roll();
                }
                for (StreamRecord r : records) {
                    byte[] v = r.valueBytes();
                    if (v != null) {
                        out.write(v);
                        written += v.length;
                    }
                    out.write('\n');
                    written++;
                }
                out.flush();
                if (fsync) {
                    channel.force(false);
                }
            } catch (IOException e) {
                closeQuietly();
                throw SinkException.retriable("cannot write to " + dir + ": " + e.getMessage(), e);
            }
        }

        private void roll() throws IOException {
            closeQuietly();
            Files.createDirectories(dir);
            int n = 0;
            Path file;
            do {
                file = dir.resolve(String.format("%s-%05d.jsonl", prefix, n++));
            } while (Files.exists(file) && Files.size(file) >= rollBytes);
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
            written = Files.size(file);
            openedAt = System.currentTimeMillis();
        }

        private void closeQuietly() {
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException e) {
                // the next write reports the problem
            }
            out = null;
            channel = null;
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }
}
