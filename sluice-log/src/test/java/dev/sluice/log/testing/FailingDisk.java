package dev.sluice.log.testing;

import dev.sluice.log.LogFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A disk for the log's segment files that fails on purpose: it fills up after a number of bytes (a write that does not
 * fit writes the part that does, then fails as Linux does with ENOSPC), or fails the next fsync (EIO). Reads and
 * everything else go to the real files.
 */
public final class FailingDisk implements LogFiles {
    private final AtomicLong room = new AtomicLong(Long.MAX_VALUE);
    private final AtomicBoolean failNextFsync = new AtomicBoolean();

    /** From now on, only {@code bytes} more bytes can be written. */
    public void fillAfter(long bytes) {
        room.set(bytes);
    }

    /** The next fsync fails; later ones succeed again, as after a transient error. */
    public void failNextFsync() {
        failNextFsync.set(true);
    }

    @Override
    public FileChannel open(Path path) throws IOException {
        return new Channel(LogFiles.SYSTEM.open(path));
    }

    private final class Channel extends FileChannel {
        private final FileChannel real;

        Channel(FileChannel real) {
            this.real = real;
        }

        private int allowed(ByteBuffer src) {
            long left = room.get();
            int n = (int) Math.min(src.remaining(), Math.max(0, left));
            room.addAndGet(-n);
            return n;
        }

        private int write(ByteBuffer src, long position, boolean positional) throws IOException {
            int n = allowed(src);
            if (n == 0 && src.hasRemaining()) {
                throw new IOException("No space left on device");
            }
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            int written = positional ? real.write(part, position) : real.write(part);
            src.position(src.position() + written);
            return written;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return write(src, -1, false);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return write(src, position, true);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failNextFsync.compareAndSet(true, false)) {
                throw new IOException("Input/output error");
            }
            real.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new IOException("not used by the log");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
