package dev.sluice.log.internal;

import dev.sluice.log.io.Fsync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The crash-safe file protocol by which a compacted segment replaces the segments {@code [base, end)}.
 *
 * <ol>
 *   <li>The replacement is written as {@code <base>.log.cleaned} (+ {@code .index.cleaned}, {@code .timeindex.cleaned})
 *       and fsynced.
 *   <li>{@code <base>.swap-end} records {@code end}; indexes are renamed to {@code .swap}.
 *   <li><b>Commit point:</b> {@code <base>.log.cleaned} is renamed to {@code <base>.log.swap}.
 *   <li>The swap files are renamed over {@code <base>.*}, the segments in {@code (base, end)} are deleted, and the
 *       {@code swap-end} file is removed.
 * </ol>
 *
 * On open, a partition finishes step 4 for every {@code .log.swap} it finds and discards everything else.
 */
final class CompactionFiles {
    private CompactionFiles() {}

    /** Steps 2 and 3: makes the written replacement the committed one. */
    static void commit(Path dir, long base, long end) {
        try {
            Path endFile = SegmentNames.swapEnd(dir, base);
            Files.writeString(endFile, Long.toString(end), StandardCharsets.US_ASCII);
            Fsync.file(endFile);
            move(SegmentNames.index(dir, base, SegmentNames.CLEANED), SegmentNames.index(dir, base, SegmentNames.SWAP));
            move(
                    SegmentNames.timeIndex(dir, base, SegmentNames.CLEANED),
                    SegmentNames.timeIndex(dir, base, SegmentNames.SWAP));
            move(SegmentNames.log(dir, base, SegmentNames.CLEANED), SegmentNames.log(dir, base, SegmentNames.SWAP));
            Fsync.directory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit compaction of " + dir + " at " + base, e);
        }
    }

    /** Step 4 for a committed swap: the files of {@code [base, end)} are replaced. */
    static void install(Path dir, long base, long end) {
        try {
            for (long other : segmentBases(dir)) {
                if (other > base && other < end) {
                    Files.deleteIfExists(SegmentNames.log(dir, other));
                    Files.deleteIfExists(SegmentNames.index(dir, other));
                    Files.deleteIfExists(SegmentNames.timeIndex(dir, other));
                }
            }
            replaceOrDrop(SegmentNames.index(dir, base, SegmentNames.SWAP), SegmentNames.index(dir, base));
            replaceOrDrop(SegmentNames.timeIndex(dir, base, SegmentNames.SWAP), SegmentNames.timeIndex(dir, base));
            move(SegmentNames.log(dir, base, SegmentNames.SWAP), SegmentNames.log(dir, base));
            Files.deleteIfExists(SegmentNames.swapEnd(dir, base));
            Fsync.directory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install compacted segment " + base + " in " + dir, e);
        }
    }

    /** On open: completes committed swaps, deletes uncommitted output. */
    static void finishOrDiscard(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                OptionalLong swap = SegmentNames.baseOffsetOf(f, SegmentNames.LOG + SegmentNames.SWAP);
                if (swap.isPresent()) {
                    Path endFile = SegmentNames.swapEnd(dir, swap.getAsLong());
                    long end = Long.parseLong(
                            Files.readString(endFile, StandardCharsets.US_ASCII).trim());
                    install(dir, swap.getAsLong(), end);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish compaction in " + dir, e);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(SegmentNames.CLEANED)
                        || name.endsWith(SegmentNames.SWAP)
                        || name.endsWith(".swap-end")) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up compaction files in " + dir, e);
        }
    }

    private static void replaceOrDrop(Path swap, Path target) throws IOException {
        if (Files.exists(swap)) {
            move(swap, target);
        } else {
            Files.deleteIfExists(target); // rebuilt from the log on open
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Long> segmentBases(Path dir) throws IOException {
        List<Long> bases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> SegmentNames.baseOffsetOf(f, SegmentNames.LOG).ifPresent(bases::add));
        }
        return bases;
    }
}
