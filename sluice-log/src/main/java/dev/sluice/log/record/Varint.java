package dev.sluice.log.record;

import java.nio.ByteBuffer;

/** Zig-zag variable-length integers as used by the v2 record format. Stateless and thread-safe. */
public final class Varint {
    private Varint() {}

    public static int sizeOfInt(int value) {
        int v = (value << 1) ^ (value >> 31);
        return Math.max(1, (38 - Integer.numberOfLeadingZeros(v)) / 7);
    }

    public static int sizeOfLong(long value) {
        long v = (value << 1) ^ (value >> 63);
        return Math.max(1, (70 - Long.numberOfLeadingZeros(v)) / 7);
    }

    /** Writes at the buffer's position and advances it. */
    public static void writeInt(int value, ByteBuffer buffer) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            buffer.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    /** Writes at the buffer's position and advances it. */
    public static void writeLong(long value, ByteBuffer buffer) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xffffffffffffff80L) != 0L) {
            buffer.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    /**
     * Reads at the buffer's position and advances it.
     *
     * @throws CorruptRecordException if the varint is longer than 5 bytes
     */
    public static int readInt(ByteBuffer buffer) {
        int raw = 0;
        int shift = 0;
        byte b;
        do {
            if (shift > 28) {
                throw new CorruptRecordException("varint is longer than 5 bytes");
            }
            b = buffer.get();
            raw |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /**
     * Reads at the buffer's position and advances it.
     *
     * @throws CorruptRecordException if the varlong is longer than 10 bytes
     */
    public static long readLong(ByteBuffer buffer) {
        long raw = 0;
        int shift = 0;
        byte b;
        do {
            if (shift > 63) {
                throw new CorruptRecordException("varlong is longer than 10 bytes");
            }
            b = buffer.get();
            raw |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return (raw >>> 1) ^ -(raw & 1);
    }
}
