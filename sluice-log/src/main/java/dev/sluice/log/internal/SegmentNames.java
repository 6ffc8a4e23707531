package dev.sluice.log.internal;

import java.nio.file.Path;
import java.util.OptionalLong;

/** File names inside a partition directory: the base offset as 20 digits, as Apache Kafka names them. */
final class SegmentNames {
    static final String LOG = ".log";
    static final String INDEX = ".index";
    static final String TIME_INDEX = ".timeindex";
    /** A compacted replacement being written; deleted by recovery. */
    static final String CLEANED = ".cleaned";
    /** A compacted replacement that is complete; recovery finishes swapping it in. */
    static final String SWAP = ".swap";

    private SegmentNames() {}

    static String base(long baseOffset) {
        return String.format("%020d", baseOffset);
    }

    static Path log(Path dir, long baseOffset) {
        return log(dir, baseOffset, "");
    }

    static Path index(Path dir, long baseOffset) {
        return index(dir, baseOffset, "");
    }

    static Path timeIndex(Path dir, long baseOffset) {
        return timeIndex(dir, baseOffset, "");
    }

    static Path log(Path dir, long baseOffset, String suffix) {
        return dir.resolve(base(baseOffset) + LOG + suffix);
    }

    static Path index(Path dir, long baseOffset, String suffix) {
        return dir.resolve(base(baseOffset) + INDEX + suffix);
    }

    static Path timeIndex(Path dir, long baseOffset, String suffix) {
        return dir.resolve(base(baseOffset) + TIME_INDEX + suffix);
    }

    /** Records the end of the segment range a compaction swap replaces. */
    static Path swapEnd(Path dir, long baseOffset) {
        return dir.resolve(base(baseOffset) + ".swap-end");
    }

    /** The base offset of a file named {@code <20 digits><suffix>}, or empty. */
    static OptionalLong baseOffsetOf(Path file, String suffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix) || name.length() != 20 + suffix.length()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(name.substring(0, 20)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
