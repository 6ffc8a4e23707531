package dev.sluice.connect.twophase;

import dev.sluice.log.io.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sink instance's own directory for the files it is writing, {@code .in-progress/<kind><host>-<pid>-<random>}: no
 * other instance writes into it or moves its files, not even a task of the same stage that was given the same partition
 * while this one had not yet learnt that it lost it. The instance deletes it when it closes; one left by a process of
 * this host that is gone is deleted when the next one is made on this host (its events are read again). Directories of
 * other hosts, on storage they share, are theirs to clean up.
 */
public final class StagingDirectory {
    /** The directories this process made. */
    private static final Set<Path> MADE = ConcurrentHashMap.newKeySet();

    private static final String HOST = hostName();

    private StagingDirectory() {}

    /**
     * Makes a new staging directory in {@code inProgress}, after deleting those of {@code kind} that a process of this
     * host left when it ended.
     *
     * @param kind what the name starts with, like {@code .buffers-}
     */
    public static Path create(Path inProgress, String kind) throws IOException {
        Files.createDirectories(inProgress);
        long pid = ProcessHandle.current().pid();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(inProgress, kind + HOST + "-*")) {
            for (Path p : children) {
                // one with this process's pid that it did not make was left by an earlier process with the same pid
                // (as a container's restarted process often has)
                if (abandoned(p.getFileName().toString(), kind)) {
                    try {
                        FileTrees.delete(p);
                    } catch (IOException | UncheckedIOException e) {
                        // another task of the stage, opening at the same time, is deleting it too
                    }
                }
            }
        }
        Path made = Files.createDirectories(
                inProgress.resolve(kind + HOST + "-" + pid + "-" + Long.toUnsignedString(new Random().nextLong(), 36)));
        MADE.add(made);
        return made;
    }

    /**
     * Whether a directory that {@link #create} named (its file name, {@code <kind><host>-<pid>-<random>}) belongs to a
     * process of this host that is gone: one of another host, or of a process that runs, is not.
     */
    public static boolean abandoned(String name, String kind) {
        if (!name.startsWith(kind + HOST + "-")) {
            return false;
        }
        String rest = name.substring(kind.length() + HOST.length() + 1);
        long pid = ProcessHandle.current().pid();
        return rest.startsWith(pid + "-")
                ? MADE.stream().noneMatch(p -> p.getFileName().toString().equals(name))
                : !alive(rest);
    }

    /** Whether the process named by {@code <pid>-<random>} still runs on this host. */
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

    /** This host's name, with only letters, digits and dots (a dash separates the parts of a directory's name). */
    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (IOException | RuntimeException e) {
                name = "host";
            }
        }
        String clean = name.replaceAll("[^A-Za-z0-9.]", "_");
        return clean.isEmpty() ? "host" : clean;
    }
}
