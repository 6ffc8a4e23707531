package dev.sluice.connect.parquet;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.TopicPartition;
import dev.sluice.connect.twophase.CommittedName;
import dev.sluice.log.io.FileTrees;
import dev.sluice.log.io.Fsync;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.SinkException;
import dev.sluice.stream.connector.TransactionalSink;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.step.StepException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Parquet files published in two phases, per input partition, like the exactly-once file sink. Each input partition
 * of the task has a buffer table in an in-memory DuckDB that its events are appended to; when the buffer holds
 * {@code roll-size} bytes of events, or at a commit, DuckDB copies it to Parquet files ending in {@value #STAGED}
 * under {@code .in-progress/<sink>-<topic>-<partition>-<first>/} (split into {@code date=/hour=/field=} directories). At a
 * commit the files are forced to disk and the directory moves to {@code .pending/...-<first>-<last>}; once the input
 * offsets are committed, each file moves to its place under the sink's directory as
 * {@code <sink>-<topic>-<partition>-<first>-<last>-<n>.parquet}. A reader never sees a partial file. On getting a
 * partition, a pending directory whose last offset the group committed is published, and every other one of the
 * partition is deleted (its events are read again). Used by one task's thread.
 */
final class ParquetFiles implements TransactionalSink {
    /**
     * How files end until they are published: a reader's {@code read_parquet('lake/**&#47;*.parquet')} also walks the
     * hidden directories, and must not find them there.
     */
    private static final String STAGED = ".parquet-staged";

    private final Path dir;
    private final Path inProgress;
    private final Path pending;
    private final String prefix;
    private final ParquetSettings settings;
    private final ParquetSchema schema;
    private final Map<TopicPartition, Buffer> buffers = new HashMap<>();
    private final List<Path> prepared = new ArrayList<>();
    private DuckDBConnection db;
    private int tables;

    /** One input partition's events since the last commit. */
    private final class Buffer {
        final String table;
        final Path out;
        final long first;
        long last;
        long bytes;
        long rows;
        int copies;
        int version;
        DuckDBAppender appender;

        Buffer(TopicPartition p, long first) throws SQLException {
            this.table = "buffer_" + tables++;
            this.out = inProgress.resolve(CommittedName.inProgress(prefix, p, first, ""));
            this.first = first;
            this.last = first;
            this.version = schema.version();
            execute("CREATE TABLE " + table + " (" + columnsDdl() + ")");
        }

        void append(Object[] row) throws SQLException {
            if (version != schema.version()) {
                closeAppender();
                for (String change : schema.growthSince(version)) {
                    execute("ALTER TABLE " + table + " " + change);
                }
                version = schema.version();
            }
            if (appender == null) {
                appender = db.createAppender("main", table);
            }
            appender.beginRow();
            for (Object v : row) {
                appendValue(appender, v);
            }
            appender.endRow();
            rows++;
        }

        /** Copies the buffered rows to Parquet files in the partition's in-progress directory, and empties it. */
        void copy() throws SQLException, IOException {
            closeAppender();
            if (rows == 0) {
                return;
            }
            Files.createDirectories(out);
            List<String> partitionBy = new ArrayList<>(schema.timeColumns());
            partitionBy.addAll(settings.partitionBy());
            String options = "FORMAT PARQUET, COMPRESSION " + settings.compression();
            String target;
            if (partitionBy.isEmpty()) {
                target = out.resolve(copies + STAGED).toString();
            } else {
                target = out.toString();
                options += ", PARTITION_BY ("
                        + String.join(
                                ", ",
                                partitionBy.stream().map(ParquetSchema::quote).toList()) + "), FILENAME_PATTERN '"
                        + copies + "_{i}', FILE_EXTENSION '" + STAGED.substring(1) + "', OVERWRITE_OR_IGNORE";
            }
            execute("COPY " + table + " TO '" + target.replace("'", "''") + "' (" + options + ")");
            execute("DELETE FROM " + table);
            copies++;
            rows = 0;
            bytes = 0;
        }

        void closeAppender() throws SQLException {
            if (appender != null) {
                appender.close();
                appender = null;
            }
        }

        void drop() throws SQLException {
            closeAppender();
            execute("DROP TABLE " + table);
        }
    }

    ParquetFiles(Path dir, String sinkName, ParquetSettings settings) {
        this.dir = dir;
        this.inProgress = dir.resolve(".in-progress");
        this.pending = dir.resolve(".pending");
        this.prefix = sinkName + "-";
        this.settings = settings;
        this.schema = settings.newSchema();
    }

    @Override
    public long publishEveryMs() {
        return settings.rollEveryMs();
    }

    @Override
    public void open() throws IOException, SQLException {
        Files.createDirectories(inProgress);
        Files.createDirectories(pending);
        db = DriverManager.getConnection("jdbc:duckdb:").unwrap(DuckDBConnection.class);
    }

    @Override
    public void write(List<StreamRecord> records) throws SinkException {
        for (int i = 0; i < records.size(); i++) {
            StreamRecord r = records.get(i);
            Object[] row;
            try {
                row = row(r);
            } catch (StepException e) { // this one goes to the dead letters, the rest is written
                throw SinkException.undeliverable(e.getMessage(), e)
                        .partly(List.of(r), List.copyOf(records.subList(i + 1, records.size())));
            }
            ConsumedEvent origin = r.origin();
            try {
                Buffer b = buffers.get(origin.topicPartition());
                if (b == null) {
                    b = new Buffer(origin.topicPartition(), origin.offset());
                    buffers.put(origin.topicPartition(), b);
                }
                b.append(row);
                b.last = Math.max(b.last, origin.offset());
                byte[] v = r.value() instanceof byte[] bytes ? bytes : null;
                b.bytes += v != null ? v.length : 16L * row.length;
                if (b.bytes >= settings.rollBytes()) {
                    b.copy();
                }
            } catch (SQLException | IOException e) {
                // part of the batch is in the buffers: the task stops, and the partitions' next owner throws the
                // files away and reads the events again from the last commit
                throw new UncheckedIOException(
                        "cannot write Parquet files to " + inProgress + ": " + e.getMessage(), new IOException(e));
            }
        }
    }

    private Object[] row(StreamRecord r) {
        if (r.origin() == null) {
            throw new StepException("a Parquet sink writes events read from a topic, and this one was made by a step;"
                    + " send the results to a topic first");
        }
        Map<String, Object> fields;
        if (r.isParsed()) {
            fields = r.fields();
        } else {
            byte[] v = r.valueBytes();
            if (v == null) {
                throw new StepException("the event has no value (a tombstone); a Parquet row needs a JSON object");
            }
            try {
                fields = Json.parseObject(v);
            } catch (RuntimeException e) {
                throw new StepException("the event is not a JSON object, so it has no fields for the Parquet columns: "
                        + e.getMessage());
            }
        }
        return schema.row(fields, r.timestamp());
    }

    @Override
    public void prepare() throws SinkException {
        try {
            for (Iterator<Map.Entry<TopicPartition, Buffer>> it =
                            buffers.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<TopicPartition, Buffer> e = it.next();
                Buffer b = e.getValue();
                b.copy();
                b.drop();
                it.remove();
                if (b.copies == 0) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(b.out)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        Fsync.file(f);
                    }
                }
                Path target = pending.resolve(CommittedName.prepared(prefix, e.getKey(), b.first, b.last, ""));
                Files.move(b.out, target, StandardCopyOption.ATOMIC_MOVE);
                prepared.add(target);
            }
            Fsync.directory(pending);
        } catch (SQLException | IOException e) {
            throw SinkException.retriable("cannot prepare Parquet files in " + pending + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void publish() throws SinkException {
        try {
            for (Path p : prepared) {
                publish(p);
            }
            prepared.clear();
        } catch (IOException e) {
            throw SinkException.retriable("cannot publish Parquet files into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Moves each file of a pending directory to its place, then removes the directory; repeatable after a crash. */
    private void publish(Path prepared) throws IOException {
        if (!Files.exists(prepared)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(prepared)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        List<Path> targetDirs = new ArrayList<>();
        for (Path f : files) {
            Path relative = prepared.relativize(f);
            Path targetDir = relative.getParent() == null ? dir : dir.resolve(relative.getParent());
            Files.createDirectories(targetDir);
            String staged = f.getFileName().toString();
            String name =
                    prepared.getFileName() + "-" + staged.substring(0, staged.length() - STAGED.length()) + ".parquet";
            Files.move(f, targetDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            if (!targetDirs.contains(targetDir)) {
                targetDirs.add(targetDir);
            }
        }
        for (Path d : targetDirs) {
            Fsync.directory(d);
        }
        FileTrees.delete(prepared);
    }

    @Override
    public void recover(Map<TopicPartition, Long> committed) throws SinkException {
        try {
            for (TopicPartition p : committed.keySet()) {
                Buffer stale = buffers.remove(p);
                if (stale != null) {
                    stale.drop();
                }
            }
            for (Path p : children(pending)) {
                CommittedName name = CommittedName.parse(p.getFileName().toString(), prefix, "", 2);
                if (name == null || !committed.containsKey(name.partition())) {
                    continue; // another task's partition
                }
                Long offset = committed.get(name.partition());
                if (offset != null && offset > name.last()) {
                    publish(p);
                } else {
                    FileTrees.delete(p);
                }
            }
            for (Path p : children(inProgress)) {
                CommittedName name = CommittedName.parse(p.getFileName().toString(), prefix, "", 1);
                if (name != null && committed.containsKey(name.partition())) {
                    FileTrees.delete(p);
                }
            }
        } catch (SQLException | IOException e) {
            throw SinkException.retriable("cannot recover the Parquet files in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (Buffer b : buffers.values()) {
            try {
                b.closeAppender();
            } catch (SQLException e) {
                // the buffer goes with the database; its partition's next owner reads the events again
            }
        }
        buffers.clear();
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException e) {
            // nothing of it is kept
        }
    }

    private String columnsDdl() {
        List<String> cols = new ArrayList<>();
        for (String t : schema.timeColumns()) {
            cols.add(ParquetSchema.quote(t) + " VARCHAR");
        }
        schema.columns().forEach((name, type) -> cols.add(ParquetSchema.quote(name) + " " + type.sql));
        return String.join(", ", cols);
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    private static void appendValue(DuckDBAppender a, Object v) throws SQLException {
        if (v == null) {
            a.appendNull();
        } else if (v instanceof String s) {
            a.append(s);
        } else if (v instanceof Long n) {
            a.append((long) n);
        } else if (v instanceof Double d) {
            a.append((double) d);
        } else if (v instanceof Integer n) {
            a.append((int) n);
        } else if (v instanceof Boolean b) {
            a.append((boolean) b);
        } else if (v instanceof Float f) {
            a.append((float) f);
        } else if (v instanceof OffsetDateTime t) {
            a.append(t);
        } else if (v instanceof LocalDate d) {
            a.append(d);
        } else {
            a.append(v.toString());
        }
    }

    private static List<Path> children(Path directory) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory)) {
            s.forEach(out::add);
        }
        return out;
    }
}
