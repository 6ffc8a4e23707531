package dev.sluice.connect.file;

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
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The file sink with {@code guarantee: exactly-once}: JSON lines files published in two phases, one file per input
 * partition and commit. Events are appended to {@code <sink>-<topic>-<partition>-<first>.jsonl} in the instance's own
 * {@link StagingDirectory} under {@code .in-progress/}; at a commit each file is forced to disk and moved to
 * {@code .pending/<owner>/<sink>-<topic>-<partition>-<first>-<last>.jsonl} (first and last input offset in it; see
 * {@link PendingOutputs}), the runtime commits the input offsets, and the files are moved into the directory. A reader
 * of the directory never sees a partial file. On getting a partition, a pending file of its last owner whose last
 * offset the group committed is published (the crash came after the commit), and every other file of the partition is
 * deleted (its events are read again). Used by one task's thread.
 */
final class TwoPhaseFiles implements TransactionalSink {
    private static final String SUFFIX = ".jsonl";
    private static final String STAGING = ".task-";

    private final Path dir;
    private final Path inProgress;
    private final Path pending;
    /** This instance's own directory in {@link #inProgress}. */
    private Path staging;

    private PendingOutputs outputs;

    private final String prefix;
    private final Map<TopicPartition, Part> open = new HashMap<>();
    private final List<Path> prepared = new ArrayList<>();

    /** One input partition's file being written. */
    private static final class Part {
        final Path file;
        final FileChannel channel;
        final OutputStream out;
        final long first;
        long last;

        Part(Path file, long first) throws IOException {
            this.file = file;
            this.channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            this.first = first;
            this.last = first;
        }
    }

    TwoPhaseFiles(Path dir, String sinkName) {
        this.dir = dir;
        this.inProgress = dir.resolve(".in-progress");
        this.pending = dir.resolve(".pending");
        this.prefix = sinkName + "-";
    }

    @Override
    public void open() throws IOException {
        Files.createDirectories(pending);
        staging = StagingDirectory.create(inProgress, STAGING);
        outputs = new PendingOutputs(pending, prefix, SUFFIX, staging, STAGING);
    }

    @Override
    public void write(List<StreamRecord> records) throws SinkException {
        for (StreamRecord r : records) { // refused as a whole, before anything is written
            if (r.origin() == null) {
                throw SinkException.rejected(
                        "an exactly-once file sink writes events read from a topic, and this one was made by a step;"
                                + " send the results to a topic first",
                        null);
            }
        }
        try {
            for (StreamRecord r : records) {
                ConsumedEvent origin = r.origin();
                Part part = open.get(origin.topicPartition());
                if (part == null) {
                    part = new Part(
                            staging.resolve(
                                    CommittedName.inProgress(prefix, origin.topicPartition(), origin.offset(), SUFFIX)),
                            origin.offset());
                    open.put(origin.topicPartition(), part);
                }
                byte[] v = r.valueBytes();
                if (v != null) {
                    part.out.write(v);
                }
                part.out.write('\n');
                part.last = Math.max(part.last, origin.offset());
            }
        } catch (IOException e) {
            // part of the batch may be in the files: writing it again would repeat it, so the task stops, and the
            // next start throws these files away and reads the events again from the last commit
            throw new UncheckedIOException("cannot write to " + staging + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void prepare() throws SinkException {
        try {
            for (Iterator<Map.Entry<TopicPartition, Part>> it = open.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<TopicPartition, Part> e = it.next();
                Part part = e.getValue();
                part.out.flush();
                part.channel.force(true);
                part.out.close();
                Path target = outputs.target(e.getKey(), part.first, part.last);
                Files.move(part.file, target, StandardCopyOption.ATOMIC_MOVE);
                prepared.add(target);
                it.remove();
            }
            outputs.sync();
        } catch (IOException e) {
            throw SinkException.retriable("cannot prepare files in " + pending + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void publish() throws SinkException {
        try {
            for (Path file : prepared) {
                if (Files.exists(file)) {
                    Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            prepared.clear();
            Fsync.directory(dir);
        } catch (IOException e) {
            throw SinkException.retriable("cannot publish files into " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void forget(Collection<TopicPartition> partitions) {
        prepared.removeIf(file -> {
            CommittedName name = CommittedName.parse(file.getFileName().toString(), prefix, SUFFIX, 2);
            return name != null && partitions.contains(name.partition()); // left for the next owner's recover
        });
        for (TopicPartition p : partitions) {
            Part stale = open.remove(p);
            if (stale != null) {
                try { // this instance's own file: its events are read again by the partition's next owner
                    stale.channel.close();
                    Files.deleteIfExists(stale.file);
                } catch (IOException e) {
                    // it goes with the staging directory at close
                }
            }
        }
    }

    @Override
    public void recover(Map<TopicPartition, Long> committed) throws SinkException {
        try {
            for (TopicPartition p : committed.keySet()) {
                Part stale = open.remove(p);
                if (stale != null) {
                    stale.out.close();
                    Files.deleteIfExists(stale.file);
                }
            }
            outputs.recover(
                    committed,
                    file -> Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE),
                    Files::delete);
            // files of an earlier version, which wrote straight into .in-progress/
            try (DirectoryStream<Path> files = Files.newDirectoryStream(inProgress, prefix + "*" + SUFFIX)) {
                for (Path file : files) {
                    CommittedName name = CommittedName.parse(file.getFileName().toString(), prefix, SUFFIX, 1);
                    if (name != null && committed.containsKey(name.partition())) {
                        Files.delete(file);
                    }
                }
            }
            Fsync.directory(dir);
        } catch (IOException e) {
            throw SinkException.retriable("cannot recover the files in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (Part part : open.values()) {
            try {
                part.out.close();
            } catch (IOException e) {
                // an unpublished file: it goes with the staging directory
            }
        }
        open.clear();
        try {
            if (staging != null) {
                FileTrees.delete(staging);
            }
        } catch (IOException | UncheckedIOException e) {
            // left for the next run to remove
        }
        if (outputs != null) {
            outputs.close();
        }
    }
}
