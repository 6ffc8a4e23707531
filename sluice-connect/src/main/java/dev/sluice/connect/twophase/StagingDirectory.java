package dev.sluice.connect.twophase;

import dev.sluice.log.io.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A sink instance's own directory for the files it is writing, {@code .in-progress/<kind><pid>-<random>}: no other
 * instance writes into it or moves its files, not even a task of the same stage that was given the same partition
 * while this one had not yet learnt that it lost it. The instance deletes it when it closes; one left by a process that
 * is gone is deleted when the next one is made (its events are read again).
 */
public final class StagingDirectory {
    private StagingDirectory() {}

    /**
     * Makes a new staging directory in {@code inProgress}, after deleting those of {@code kind} whose process is gone.
     *
     * @param kind what the name starts with, like {@code .buffers-}
     */
    public static Path create(Path inProgress, String kind) throws IOException {
        Files.createDirectories(inProgress);
        long pid = ProcessHandle.current().pid();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(inProgress, kind + "*")) {
            for (Path p : children) {
                String name = p.getFileName().toString();
                if (!name.startsWith(kind + pid + "-") && !alive(name.substring(kind.length()))) {
                    try {
                        FileTrees.delete(p);
                    } catch (IOException | UncheckedIOException e) {
                        // another task of the stage, opening at the same time, is deleting it too
                    }
                }
            }
        }
        return Files.createDirectories(
                inProgress.resolve(kind + pid + "-" + Long.toUnsignedString(new Random().nextLong(), 36)));
    }

    /** Whether the process named by {@code <pid>-<random>} still runs. */
    private static boolean alive(String pidAndRandom) {
        int dash = pidAndRandom.indexOf('-');
        try {
            return ProcessHandle.of(Long.parseLong(dash < 0 ? pidAndRandom : pidAndRandom.substring(0, dash)))
                    .map(ProcessHandle::isAlive)
                    .orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours to remove
        }
    }
}
