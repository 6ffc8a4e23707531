package dev.sluice.log.internal;

import dev.sluice.log.LogException;
import dev.sluice.log.LogFiles;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The log file of a segment, read and written at explicit positions.
 *
 * <p>A {@link FileChannel} is closed for every thread when one thread is interrupted inside it. This wrapper reopens
 * the channel in that case, so that one interrupted consumer cannot break a partition for everyone; the interrupted
 * caller gets an exception and keeps its interrupt flag. Thread-safe.
 */
final class SegmentFile {
    private final Path path;
    private final LogFiles files;
    private volatile FileChannel channel;
    private volatile boolean closed;

    SegmentFile(Path path, LogFiles files) {
        this.path = path;
        this.files = files;
        this.channel = open();
    }

    Path path() {
        return path;
    }

    long size() {
        return withChannel(FileChannel::size);
    }

    /** Writes all of {@code buffer} at {@code position}. */
    void writeFully(ByteBuffer buffer, long position) {
        int start = buffer.position();
        withChannel(ch -> {
            // restartable: a retry continues from where the buffer got to
            while (buffer.hasRemaining()) {
                ch.write(buffer, position + (buffer.position() - start));
            }
            return null;
        });
    }

    /** Reads until {@code buffer} is full or the file ends; returns the bytes read. */
    int read(ByteBuffer buffer, long position) {
        int start = buffer.position();
        return withChannel(ch -> {
            // restartable: a retry continues from where the buffer got to
            while (buffer.hasRemaining()) {
                if (ch.read(buffer, position + (buffer.position() - start)) < 0) {
                    break;
                }
            }
            return buffer.position() - start;
        });
    }

    void force() {
        withChannel(ch -> {
            ch.force(false);
            return null;
        });
    }

    void truncate(long size) {
        withChannel(ch -> ch.truncate(size));
    }

    void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + path, e);
        }
    }

    boolean isClosed() {
        return closed;
    }

    private interface ChannelOp<T> {
        T apply(FileChannel channel) throws IOException;
    }

    private <T> T withChannel(ChannelOp<T> op) {
        while (true) {
            if (closed) {
                throw new SegmentClosedException(path);
            }
            FileChannel ch = channel;
            try {
                return op.apply(ch);
            } catch (ClosedByInterruptException e) {
                reopen(ch);
                throw new LogException("interrupted while using " + path, new InterruptedIOException());
            } catch (ClosedChannelException e) {
                if (closed) {
                    throw new SegmentClosedException(path);
                }
                reopen(ch); // another thread's interrupt closed the shared channel: retry on a fresh one
            } catch (IOException e) {
                if (closed) {
                    throw new SegmentClosedException(path);
                }
                throw new UncheckedIOException("I/O error on " + path + ": " + e.getMessage(), e);
            }
        }
    }

    private synchronized void reopen(FileChannel broken) {
        if (!closed && channel == broken) {
            channel = open();
        }
    }

    private FileChannel open() {
        try {
            return files.open(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    /** The segment was deleted or the log closed while a reader still held it; the reader looks it up again. */
    static final class SegmentClosedException extends LogException {
        private static final long serialVersionUID = 1L;

        SegmentClosedException(Path path) {
            super("segment " + path + " was closed");
        }
    }
}
