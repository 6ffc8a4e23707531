package dev.sluice.log.internal;

import dev.sluice.log.DataDirectoryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code <dataDir>/.lock}, so that two processes never open one data directory. The lock dies
 * with the process (even on SIGKILL); the file holds the owner's pid for the error message.
 */
public final class DirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws DataDirectoryException if the directory cannot be created or used, or another process holds it
     */
    public static DirectoryLock acquire(Path dataDir) {
        ensureUsable(dataDir);
        Path file = dataDir.resolve(".lock");
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DataDirectoryException(
                    "Cannot open the lock file " + file + ": " + e.getMessage() + ". Check the permissions of "
                            + dataDir + ", or choose another data directory.",
                    e);
        }
        FileLock lock = null;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new DataDirectoryException("Cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            String owner = readOwner(ch);
            closeQuietly(ch);
            throw new DataDirectoryException("Data directory " + dataDir + " is in use by another Sluice process"
                    + (owner.isEmpty() ? "" : " (pid " + owner + ")") + ". Stop that process first, or use a different"
                    + " data directory.");
        }
        try {
            ch.truncate(0);
            ch.write(
                    ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)),
                    0);
        } catch (IOException e) {
            // the pid is only a courtesy for the error message of a second process
        }
        return new DirectoryLock(ch, lock);
    }

    private static void ensureUsable(Path dataDir) {
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new DataDirectoryException("Data directory " + dataDir + " is a file, not a directory. Remove it or"
                    + " choose another data directory.");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (AccessDeniedException e) {
            throw new DataDirectoryException(
                    "Cannot create data directory " + dataDir + ": permission denied. Create"
                            + " it yourself or choose a directory you can write to.",
                    e);
        } catch (IOException e) {
            throw new DataDirectoryException("Cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        if (!Files.isReadable(dataDir) || !Files.isWritable(dataDir) || !Files.isExecutable(dataDir)) {
            throw new DataDirectoryException("Data directory " + dataDir + " is not readable and writable by this"
                    + " user. Fix its permissions (chmod u+rwx " + dataDir + ") or choose another data directory.");
        }
    }

    private static String readOwner(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already failing; the original error is more useful
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is closing the log; the OS drops the lock with the process anyway
        }
    }
}
