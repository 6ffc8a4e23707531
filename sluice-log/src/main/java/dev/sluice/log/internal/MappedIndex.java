package dev.sluice.log.internal;

import dev.sluice.log.LogException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A memory-mapped file of fixed-size index entries, appended by the partition's writer and searched by any thread.
 *
 * <p>An active index is pre-allocated to its maximum size and trimmed to its entries when the segment rolls or the
 * log closes; after a crash an untrimmed index is rebuilt by recovery. Writers are serialised by the partition lock;
 * readers see entries up to the volatile entry count, which is published after the entry's bytes.
 */
abstract class MappedIndex {
    private final Path file;
    protected final long baseOffset;
    private final int maxSize;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private boolean writable;

    MappedIndex(Path file, long baseOffset, int maxSize, boolean writable) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.maxSize = roundDown(maxSize);
        try {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            long existing = Files.size(file);
            this.entries = (int) (existing / entrySize());
            map(writable ? this.maxSize : roundDown((int) existing), writable);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open index " + file, e);
        }
    }

    abstract int entrySize();

    final Path file() {
        return file;
    }

    final int entries() {
        return entries;
    }

    final boolean isFull() {
        MappedByteBuffer m = mmap;
        return m == null || (entries + 1) * entrySize() > m.capacity();
    }

    final int sizeInBytes() {
        return entries * entrySize();
    }

    /** A private view for one search; other threads' positions are not disturbed. */
    protected final ByteBuffer view() {
        MappedByteBuffer m = mmap;
        if (m == null) {
            throw new SegmentFile.SegmentClosedException(file); // deleted or closed under a reader
        }
        return m.duplicate();
    }

    /** Called with the entry written at {@code buffer.position()}; publishes it. */
    protected final ByteBuffer beginAppend() {
        if (!writable) {
            throw new IllegalStateException("index " + file + " is read-only");
        }
        if (isFull()) {
            throw new LogException("index " + file + " is full with " + entries + " entries");
        }
        ByteBuffer b = mmap.duplicate();
        b.position(entries * entrySize());
        return b;
    }

    protected final void endAppend() {
        entries++;
    }

    /** Binary search: the largest entry index whose key is <= target, or -1 if every key is larger. */
    protected final int floorEntry(long target) {
        ByteBuffer b = view();
        int lo = 0;
        int hi = entries - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (keyAt(b, mid) <= target) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The searchable key of entry {@code n}. */
    protected abstract long keyAt(ByteBuffer buffer, int n);

    /** Drops every entry; used before a rebuild. */
    final void clear() {
        entries = 0;
    }

    /** Keeps the first {@code n} entries. */
    final void truncateToEntries(int n) {
        entries = Math.min(entries, n);
    }

    /** Shrinks the file to its entries and maps it read-only: the segment no longer takes appends. */
    final void makeReadOnly() {
        if (writable) {
            flush();
            resizeFile(entries * entrySize());
            map(entries * entrySize(), false);
        }
    }

    /** Maps the file again at full size for appends (a segment that becomes active again after recovery). */
    final void makeWritable() {
        if (!writable) {
            map(maxSize, true);
        }
    }

    final void flush() {
        if (writable) {
            mmap.force();
        }
    }

    final void close() {
        if (writable) {
            flush();
            resizeFile(entries * entrySize());
        }
        mmap = null;
    }

    final void delete() throws IOException {
        mmap = null;
        Files.deleteIfExists(file);
    }

    private void map(int size, boolean forWrite) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), forWrite ? "rw" : "r")) {
            if (forWrite) {
                raf.setLength(size);
            }
            long length = Math.min(size, raf.length());
            this.mmap = raf.getChannel()
                    .map(forWrite ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, 0, length);
            this.writable = forWrite;
            this.entries = Math.min(entries, (int) (length / entrySize()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map index " + file, e);
        }
    }

    private void resizeFile(int size) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resize index " + file, e);
        }
    }

    private int roundDown(int size) {
        return size / entrySize() * entrySize();
    }
}
