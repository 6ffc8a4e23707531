package dev.sluice.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How the log opens the files that hold its records: the file system itself ({@link #SYSTEM}), or, in tests, channels
 * that fail their writes or fsyncs on purpose, as a full or failing disk does. Every write and fsync of a segment's
 * records goes through a channel opened here.
 */
@FunctionalInterface
public interface LogFiles {
    LogFiles SYSTEM = path ->
            FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);

    /** Opens {@code path} for reading and writing, creating it if missing. */
    FileChannel open(Path path) throws IOException;
}
