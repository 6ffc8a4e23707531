package dev.sluice.connect.twophase;

import dev.sluice.broker.TopicPartition;
import dev.sluice.log.io.Fsync;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared outputs of a two-phase sink and the decision, when a task gets a partition, on which of them to
 * publish. Each sink instance prepares into a directory of its own, {@code .pending/<owner>/} (its owner id is the name
 * of its {@link StagingDirectory}), outputs named {@code <prefix><topic>-<partition>-<first>-<last><suffix>}. A task
 * that gets a partition publishes the outputs of it that the committed offset covers <em>and that its last owner
 * prepared</em>, deletes every other one, and becomes its owner: the fence {@code .pending/.fence-<prefix><topic>-
 * <partition>} holds its id. So an output prepared by a task that had lost the partition without knowing yet (its
 * commit failed, and the next owner read the same events again) is never published, even once the next owner's
 * commits cover its offsets; and every output of the owner's own commits is, also two of one partition when a refused
 * commit left one for the next. Without a fence (a partition no task of this version recovered yet) every covered
 * output is published, as are outputs without an owner directory, of an earlier version, fence or not. A recovery that
 * finds a fence changed by another task since it began fails before it decides on more outputs or writes the fence.
 */
public final class PendingOutputs {
    private static final String FENCE = ".fence-";

    private final Path pending;
    private final String prefix;
    private final String suffix;
    private final String ownerKind;
    private final String owner;
    private final Path mine;

    /** What is done to an output: published or deleted. */
    @FunctionalInterface
    public interface Action {
        void apply(Path output) throws IOException;
    }

    /**
     * @param staging this instance's staging directory, made by {@link StagingDirectory#create} with {@code kind}
     */
    public PendingOutputs(Path pending, String prefix, String suffix, Path staging, String kind) {
        this.pending = pending;
        this.prefix = prefix;
        this.suffix = suffix;
        this.ownerKind = kind;
        this.owner = staging.getFileName().toString();
        this.mine = pending.resolve(owner);
    }

    /** Where this instance prepares the output of {@code p} from {@code first} to {@code last}. */
    public Path target(TopicPartition p, long first, long last) throws IOException {
        if (!Files.isDirectory(mine)) {
            Files.createDirectories(mine);
            Fsync.directory(pending); // the directory's name too must outlive a power cut
        }
        return mine.resolve(CommittedName.prepared(prefix, p, first, last, suffix));
    }

    /** Forces the names of this instance's prepared outputs to disk. */
    public void sync() throws IOException {
        if (Files.isDirectory(mine)) {
            Fsync.directory(mine);
        }
    }

    /**
     * Removes this instance's directory if nothing prepared waits in it (what does stays for the partitions' next
     * owners); a task that restarts within the process would otherwise leave an empty one behind each time.
     */
    public void close() {
        try {
            Files.deleteIfExists(mine);
        } catch (IOException e) {
            // not empty: prepared outputs wait for their partitions' next owners
        }
    }

    /**
     * For each partition in {@code committed} (with its committed offset, or null): publishes the outputs of its last
     * owner that the offset covers, deletes every other output of it, and makes this instance its owner. Outputs of
     * other partitions are left alone.
     */
    public void recover(Map<TopicPartition, Long> committed, Action publish, Action delete) throws IOException {
        Files.createDirectories(pending);
        Map<TopicPartition, String> owners = new HashMap<>();
        for (TopicPartition p : committed.keySet()) {
            owners.put(p, readFence(p));
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(pending)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.startsWith(FENCE)) {
                    continue;
                }
                if (name.startsWith(prefix)) { // an earlier version's output, owned by no one: the earlier rule
                    decide(child, null, committed, null, publish, delete);
                } else if (name.startsWith(ownerKind)) {
                    try (DirectoryStream<Path> outputs = Files.newDirectoryStream(child, prefix + "*")) {
                        for (Path output : outputs) {
                            decide(output, name, committed, owners, publish, delete);
                        }
                    } catch (NoSuchFileException | NotDirectoryException e) {
                        continue; // another task removed it as abandoned
                    }
                    if (!child.equals(mine) && StagingDirectory.abandoned(name, ownerKind)) {
                        try {
                            Files.delete(child); // only when empty: an owner that is alive after all keeps its files
                        } catch (IOException e) {
                            // not empty, or removed by another task
                        }
                    }
                }
            }
        }
        for (TopicPartition p : committed.keySet()) {
            checkFence(p, owners.get(p));
            writeFence(p);
        }
        Fsync.directory(pending);
    }

    /**
     * Fails when another task fenced the partition since this recovery began: this task stalled past its session
     * and the group gave the partition away again; the other task's outputs are then not this one's to decide on.
     */
    private void checkFence(TopicPartition p, String read) throws IOException {
        String now = readFence(p);
        if (now != null && !now.equals(read) && !now.equals(owner)) {
            throw new IOException(
                    "partition " + p + " was taken over by another task (" + now + ") while this one recovered it");
        }
    }

    private void decide(
            Path output,
            String outputOwner,
            Map<TopicPartition, Long> committed,
            Map<TopicPartition, String> owners,
            Action publish,
            Action delete)
            throws IOException {
        CommittedName name = CommittedName.parse(output.getFileName().toString(), prefix, suffix, 2);
        if (name == null || !committed.containsKey(name.partition())) {
            return; // another task's partition
        }
        String fenced = owners == null ? null : owners.get(name.partition());
        // no fence: the partition's first owner since this version, or since the partition was made
        boolean ownersOutput = fenced == null || fenced.equals(outputOwner);
        if (owners != null) {
            checkFence(name.partition(), fenced);
        }
        if (ownersOutput && name.committedBy(committed.get(name.partition()))) {
            publish.apply(output);
        } else {
            delete.apply(output);
        }
    }

    private Path fence(TopicPartition p) {
        return pending.resolve(FENCE + prefix + p.topic() + "-" + p.partition());
    }

    private String readFence(TopicPartition p) throws IOException {
        try {
            return Files.readString(fence(p), StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void writeFence(TopicPartition p) throws IOException {
        Path fence = fence(p);
        Path temporary = fence.resolveSibling(fence.getFileName() + "." + owner + ".tmp");
        Files.writeString(temporary, owner, StandardCharsets.UTF_8);
        Fsync.file(temporary);
        Files.move(temporary, fence, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
