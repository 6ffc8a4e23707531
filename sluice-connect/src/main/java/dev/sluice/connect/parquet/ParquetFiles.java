package dev.sluice.connect.parquet;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.TopicPartition;
import dev.sluice.connect.twophase.CommittedName;
import dev.sluice.connect.twophase.PendingOutputs;
import dev.sluice.connect.twophase.StagingDirectory;
import dev.sluice.log.io.FileTrees;
import dev.sluice.log.io.Fsync;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.SinkException;
import dev.sluice.stream.connector.TransactionalSink;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.step.StepException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Parquet files published in two phases, per input partition, like the exactly-once file sink. Each input partition
 * of the task has a buffer of JSON lines that its events' checked rows are appended to (straight from the raw JSON by
 * {@link RawRows} when it can, else through {@link ParquetSchema#line}); when the buffer holds {@code roll-size} bytes of
 * events, or at a commit, DuckDB reads it on the {@link CopyThread} while the task goes on, and copies it to Parquet
 * files ending in {@value #STAGED} under {@code .in-progress/.buffers-<host>-<pid>-<random>/<sink>-<topic>-<partition>-<first>/} (split into
 * {@code date=/hour=/field=} directories). At a commit the copies are awaited, the files are forced to disk and the directory moves to {@code .pending/<owner>/...-<first>-<last>} ({@link PendingOutputs}); once the input
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
    /** How a buffer's JSON lines file ends. */
    private static final String BUFFER = ".buffer.jsonl";
    /** The directory of one sink instance's buffers, {@code .buffers-<host>-<pid>-<random>} (a {@link StagingDirectory}): tasks never share a buffer. */
    private static final String BUFFERS = ".buffers-";

    private final Path dir;
    private final Path inProgress;
    private final Path pending;
    private final String prefix;
    private final ParquetSettings settings;
    private final ParquetSchema schema;
    private final RawRows rawRows;
    /** The line of an event taking the general way. */
    private final LineBytes line = new LineBytes();

    private Buffer lastBuffer;
    private final Map<TopicPartition, Buffer> buffers = new HashMap<>();
    private final List<Path> prepared = new ArrayList<>();
    private CopyThread copier;
    private Path buffersDir;
    private PendingOutputs outputs;

    /**
     * One input partition's events since the last commit, as JSON lines in a file under {@code .in-progress} (keys
     * {@code c0}, {@code c1}, ... by column position, values already checked against the schema), which DuckDB reads
     * with {@code read_json} and copies to Parquet: one bulk conversion instead of a call per value.
     */
    private final class Buffer {
        final TopicPartition partition;
        final Path out;
        Path lines;
        final long first;
        long last;
        long bytes;
        long rows;
        int copies;
        OutputStream writer;
        int longest;

        Buffer(TopicPartition p, long first) {
            this.partition = p;
            // in this instance's own directory: a task that lost the partition unawares never writes into its next
            // owner's files, which would have the same name
            this.out = buffersDir.resolve(CommittedName.inProgress(prefix, p, first, ""));
            this.first = first;
            this.last = first;
            this.lines = linesFile();
        }

        /** Appends a line made already, giving the bytes written. */
        int append(byte[] bytes, int length) throws IOException {
            if (writer == null) {
                writer = new BufferedOutputStream(Files.newOutputStream(lines), 1 << 16);
            }
            writer.write(bytes, 0, length);
            longest = Math.max(longest, length);
            rows++;
            return length;
        }

        private Path linesFile() {
            return buffersDir.resolve(CommittedName.inProgress(prefix, partition, first, "." + copies + BUFFER));
        }

        /**
         * Starts copying the buffered rows to Parquet files in the partition's in-progress directory (see {@link
         * CopyThread}), and empties the buffer.
         */
        void copy() throws IOException {
            closeWriter();
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
            copier.copy(
                    "COPY (" + JsonLines.select(lines, columnNames(), columnTypes(), longest) + ") TO '"
                            + target.replace("'", "''") + "' (" + options + ")",
                    lines,
                    partition);
            copies++;
            lines = linesFile();
            rows = 0;
            bytes = 0;
            longest = 0;
        }

        void closeWriter() throws IOException {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        }

        void drop() throws IOException {
            closeWriter();
            Files.deleteIfExists(lines);
        }
    }

    /** The columns in row order: the time partitions, then the event's. */
    private List<String> columnNames() {
        List<String> names = new ArrayList<>(schema.timeColumns());
        names.addAll(schema.columns().keySet());
        return names;
    }

    private List<String> columnTypes() {
        List<String> types = new ArrayList<>();
        schema.timeColumns().forEach(t -> types.add("VARCHAR"));
        schema.columns().values().forEach(t -> types.add(t.sql));
        return types;
    }

    ParquetFiles(Path dir, String sinkName, ParquetSettings settings) {
        this.dir = dir;
        this.inProgress = dir.resolve(".in-progress");
        this.pending = dir.resolve(".pending");
        this.prefix = sinkName + "-";
        this.settings = settings;
        this.schema = settings.newSchema();
        this.rawRows = new RawRows(schema);
    }

    @Override
    public long publishEveryMs() {
        return settings.rollEveryMs();
    }

    @Override
    public void open() throws IOException, SQLException {
        Files.createDirectories(pending);
        buffersDir = StagingDirectory.create(inProgress, BUFFERS);
        outputs = new PendingOutputs(pending, prefix, "", buffersDir, BUFFERS);

        copier = new CopyThread("sluice-parquet-" + prefix + Integer.toHexString(System.identityHashCode(this)), dir);
    }

    @Override
    public void write(List<StreamRecord> records) throws SinkException {
        for (int i = 0; i < records.size(); i++) {
            StreamRecord r = records.get(i);
            byte[] raw = r.origin() != null && !r.isParsed() ? r.valueBytes() : null;
            boolean quick = raw != null && rawRows.line(raw, r.timestamp());
            try {
                if (!quick) {
                    schema.line(fields(r), r.timestamp(), line);
                }
            } catch (StepException e) { // this one goes to the dead letters, the rest is written
                throw SinkException.undeliverable(e.getMessage(), e)
                        .partly(List.of(r), List.copyOf(records.subList(i + 1, records.size())));
            }
            ConsumedEvent origin = r.origin();
            try {
                Buffer b = buffer(origin);
                LineBytes made = quick ? rawRows.line() : line;
                int written = b.append(made.bytes(), made.length());
                b.last = Math.max(b.last, origin.offset());
                byte[] v = r.value() instanceof byte[] bytes ? bytes : null;
                b.bytes += v != null ? v.length : written;
                if (b.bytes >= settings.rollBytes()) {
                    b.copy();
                }
            } catch (IOException e) {
                // part of the batch is in the buffers: the task stops, and the partitions' next owner throws the
                // files away and reads the events again from the last commit
                throw new UncheckedIOException(
                        "cannot write Parquet files to " + inProgress + ": " + e.getMessage(), new IOException(e));
            }
        }
    }

    /**
     * The buffer of the event's input partition (the last one used when it is the same, as it mostly is; forgotten
     * whenever a buffer leaves the map).
     */
    private Buffer buffer(ConsumedEvent origin) {
        if (lastBuffer != null
                && lastBuffer.partition.partition() == origin.partition()
                && lastBuffer.partition.topic().equals(origin.topic())) {
            return lastBuffer;
        }
        TopicPartition p = origin.topicPartition();
        Buffer b = buffers.get(p);
        if (b == null) {
            b = new Buffer(p, origin.offset());
            buffers.put(p, b);
        }
        lastBuffer = b;
        return b;
    }

    /** The event's fields, parsed if they were not. */
    private static Map<String, Object> fields(StreamRecord r) {
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
        return fields;
    }

    @Override
    public void prepare() throws SinkException {
        lastBuffer = null;
        try {
            for (Buffer b : buffers.values()) {
                b.copy();
            }
            copier.await();
            for (Iterator<Map.Entry<TopicPartition, Buffer>> it =
                            buffers.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<TopicPartition, Buffer> e = it.next();
                Buffer b = e.getValue();
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
                Path target = outputs.target(e.getKey(), b.first, b.last);
                Files.move(b.out, target, StandardCopyOption.ATOMIC_MOVE);
                prepared.add(target);
            }
            outputs.sync();
        } catch (IOException e) {
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
    public void forget(Collection<TopicPartition> partitions) {
        lastBuffer = null;
        prepared.removeIf(d -> {
            CommittedName name = CommittedName.parse(d.getFileName().toString(), prefix, "", 2);
            return name != null && partitions.contains(name.partition()); // left for the next owner's recover
        });
        copier.settle(partitions); // it may be writing into a directory deleted below
        for (TopicPartition p : partitions) {
            Buffer stale = buffers.remove(p);
            if (stale != null) {
                try { // this instance's own files; what is left goes with its directory at close
                    stale.drop();
                    FileTrees.delete(stale.out);
                } catch (IOException e) {
                    // its events are read again by the partition's next owner
                }
            }
        }
    }

    @Override
    public void recover(Map<TopicPartition, Long> committed) throws SinkException {
        lastBuffer = null;
        try {
            copier.settle(committed.keySet()); // it may be writing into a directory deleted below
            for (TopicPartition p : committed.keySet()) {
                Buffer stale = buffers.remove(p);
                if (stale != null) { // its copied files too: a new buffer from the same offset has the same directory
                    stale.drop();
                    FileTrees.delete(stale.out);
                }
            }
            outputs.recover(committed, this::publish, FileTrees::delete);
            for (Path p : children(inProgress)) { // files being written by an earlier owner
                CommittedName name = CommittedName.parse(p.getFileName().toString(), prefix, "", 1);
                if (name != null && committed.containsKey(name.partition())) {
                    FileTrees.delete(p);
                }
            }
        } catch (IOException e) {
            throw SinkException.retriable("cannot recover the Parquet files in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (copier != null) {
            copier.close(); // first: it may be reading a buffer
        }
        for (Buffer b : buffers.values()) {
            try {
                b.drop();
            } catch (IOException e) {
                // the buffer goes with the database; its partition's next owner reads the events again
            }
        }
        buffers.clear();
        lastBuffer = null;
        try {
            if (buffersDir != null) {
                FileTrees.delete(buffersDir);
            }
        } catch (IOException | UncheckedIOException e) {
            // left for the next run to remove
        }
        if (outputs != null) {
            outputs.close();
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
