package dev.sluice.connect.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forcing files and renames to disk. */
public final class Durably {
    private Durably() {}

    /** Makes the renames and creations in a directory durable. */
    public static void forceDirectory(Path directory) throws IOException {
        try (FileChannel c = FileChannel.open(directory, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    /** Forces a file's content to disk. */
    public static void forceFile(Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }
}
