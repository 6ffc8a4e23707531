package dev.sluice.log.internal;

import dev.sluice.log.LogStorageException;
import java.nio.file.NoSuchFileException;

/** What a failed write or fsync of the log's files tells the person running Sluice: the cause and what to do. */
final class StorageFailures {
    private static final String AFTER = " Every acknowledged event is kept; what failed takes no more events until"
            + " Sluice is restarted, which recovers it from what is on disk.";

    private StorageFailures() {}

    /**
     * @param what what could not be done, such as {@code "fsync clicks/0 (/data/topics/clicks/0)"}
     */
    static LogStorageException of(String what, Throwable cause) {
        return new LogStorageException(describe(what, cause), cause);
    }

    private static String describe(String what, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return "No space left on the disk of the data directory: could not " + what
                        + ". Free space on that disk, then restart." + AFTER;
            }
            if (t instanceof NoSuchFileException missing) {
                return "Could not " + what + ": " + missing.getFile() + " is gone; was the data directory removed"
                        + " while Sluice ran? Restore it or start with a new one." + AFTER;
            }
        }
        return "Could not " + what + ": " + cause.getMessage()
                + ". Check the disk and that the data directory is still there, then restart." + AFTER;
    }
}
