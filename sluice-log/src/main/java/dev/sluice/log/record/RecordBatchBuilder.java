package dev.sluice.log.record;

import static dev.sluice.log.record.RecordBatchFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes records into one v2 record batch in a fixed-capacity buffer, with no intermediate objects.
 *
 * <p>Typical use: {@link #tryAppend} until it returns false, then {@link #build()} and hand the batch to the log, then
 * {@link #reset()} to reuse the buffer. Not thread-safe: one owner at a time.
 */
public final class RecordBatchBuilder {
    private static final byte[][] NO_HEADER_KEYS = new byte[0][];

    private final ByteBuffer buffer;
    private final CRC32C crc = new CRC32C();
    private long baseOffset;
    private long baseTimestamp;
    private long maxTimestamp;
    private int recordCount;
    private int lastOffsetDelta;
    private short attributes;
    private boolean built;

    /** A builder over a new direct buffer of {@code capacity} bytes. */
    public RecordBatchBuilder(int capacity) {
        this(ByteBuffer.allocateDirect(Math.max(capacity, HEADER_SIZE)));
    }

    /** A builder over {@code buffer}, from index 0 to its capacity; the buffer's position and limit are ignored. */
    public RecordBatchBuilder(ByteBuffer buffer) {
        if (buffer.capacity() < HEADER_SIZE) {
            throw new IllegalArgumentException("buffer must hold at least " + HEADER_SIZE + " bytes");
        }
        this.buffer = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        reset();
    }

    /** Empties the builder so that it can encode a new batch into the same buffer. */
    public void reset() {
        buffer.clear();
        buffer.position(RECORDS_OFFSET);
        baseOffset = 0;
        baseTimestamp = 0;
        maxTimestamp = -1;
        recordCount = 0;
        lastOffsetDelta = -1;
        attributes = 0;
        built = false;
    }

    /**
     * Starts a batch that keeps offsets and, optionally, a compaction delete horizon: used when a batch is rewritten.
     * Must be called on an empty builder.
     *
     * @param deleteHorizonMs the time after which tombstones may be removed, or -1 for none
     */
    public void startRewrite(long baseOffset, long deleteHorizonMs) {
        if (recordCount != 0) {
            throw new IllegalStateException("startRewrite on a non-empty builder");
        }
        this.baseOffset = baseOffset;
        if (deleteHorizonMs >= 0) {
            attributes |= DELETE_HORIZON_MASK;
            baseTimestamp = deleteHorizonMs;
        }
    }

    /** Appends a record with the next offset delta; returns false, appending nothing, if it does not fit. */
    public boolean tryAppend(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        return tryAppendWithOffsetDelta(recordCount, timestamp, key, value, headers);
    }

    /**
     * Appends a record with an explicit offset delta (rewriting a compacted batch keeps the original offsets); deltas
     * must increase. Returns false, appending nothing, if the record does not fit.
     */
    public boolean tryAppendWithOffsetDelta(
            int offsetDelta, long timestamp, byte[] key, byte[] value, List<Header> headers) {
        if (built) {
            throw new IllegalStateException("the batch was built; call reset() first");
        }
        if (offsetDelta <= lastOffsetDelta) {
            throw new IllegalArgumentException("offset delta " + offsetDelta + " must exceed " + lastOffsetDelta);
        }
        if (recordCount == 0 && (attributes & DELETE_HORIZON_MASK) == 0) {
            baseTimestamp = timestamp;
        }
        byte[][] headerKeys = encodeHeaderKeys(headers);
        long timestampDelta = timestamp - baseTimestamp;
        int bodySize = bodySize(timestampDelta, offsetDelta, key, value, headers, headerKeys);
        int total = Varint.sizeOfInt(bodySize) + bodySize;
        if (total > buffer.remaining()) {
            return false;
        }
        Varint.writeInt(bodySize, buffer);
        buffer.put((byte) 0);
        Varint.writeLong(timestampDelta, buffer);
        Varint.writeInt(offsetDelta, buffer);
        writeBytes(key);
        writeBytes(value);
        Varint.writeInt(headers.size(), buffer);
        for (int i = 0; i < headerKeys.length; i++) {
            Varint.writeInt(headerKeys[i].length, buffer);
            buffer.put(headerKeys[i]);
            writeBytes(headers.get(i).value());
        }
        recordCount++;
        lastOffsetDelta = offsetDelta;
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        return true;
    }

    /** The exact number of bytes a batch holding only this record takes: use it to size a builder for a big record. */
    public static int sizeOfSingleRecordBatch(byte[] key, byte[] value, List<Header> headers) {
        int body = bodySize(0, 0, key, value, headers, encodeHeaderKeys(headers));
        return HEADER_SIZE + Varint.sizeOfInt(body) + body;
    }

    /** Writes the batch header and CRC; the builder takes no more records until {@link #reset()}. */
    public RecordBatch build() {
        if (!built) {
            int end = buffer.position();
            buffer.putLong(BASE_OFFSET_OFFSET, baseOffset);
            buffer.putInt(LENGTH_OFFSET, end - LOG_OVERHEAD);
            buffer.putInt(PARTITION_LEADER_EPOCH_OFFSET, NO_PARTITION_LEADER_EPOCH);
            buffer.put(MAGIC_OFFSET, MAGIC);
            buffer.putShort(ATTRIBUTES_OFFSET, attributes);
            buffer.putInt(LAST_OFFSET_DELTA_OFFSET, Math.max(lastOffsetDelta, 0));
            buffer.putLong(BASE_TIMESTAMP_OFFSET, baseTimestamp);
            buffer.putLong(MAX_TIMESTAMP_OFFSET, recordCount == 0 ? -1 : maxTimestamp);
            buffer.putLong(PRODUCER_ID_OFFSET, NO_PRODUCER_ID);
            buffer.putShort(PRODUCER_EPOCH_OFFSET, NO_PRODUCER_EPOCH);
            buffer.putInt(BASE_SEQUENCE_OFFSET, NO_SEQUENCE);
            buffer.putInt(RECORD_COUNT_OFFSET, recordCount);
            ByteBuffer crcRange = buffer.duplicate();
            crcRange.position(ATTRIBUTES_OFFSET).limit(end);
            crc.reset();
            crc.update(crcRange);
            buffer.putInt(CRC_OFFSET, (int) crc.getValue());
            built = true;
        }
        ByteBuffer slice = buffer.duplicate();
        slice.position(0).limit(buffer.position());
        return RecordBatch.trusted(slice.slice());
    }

    public int recordCount() {
        return recordCount;
    }

    public boolean isEmpty() {
        return recordCount == 0;
    }

    /** Bytes the batch takes so far, header included. */
    public int sizeInBytes() {
        return buffer.position();
    }

    public int capacity() {
        return buffer.capacity();
    }

    private void writeBytes(byte[] bytes) {
        if (bytes == null) {
            Varint.writeInt(-1, buffer);
        } else {
            Varint.writeInt(bytes.length, buffer);
            buffer.put(bytes);
        }
    }

    private static int bodySize(
            long timestampDelta, int offsetDelta, byte[] key, byte[] value, List<Header> headers, byte[][] keys) {
        int size = 1 + Varint.sizeOfLong(timestampDelta) + Varint.sizeOfInt(offsetDelta);
        size += sizeOfBytes(key) + sizeOfBytes(value) + Varint.sizeOfInt(headers.size());
        for (int i = 0; i < keys.length; i++) {
            size += Varint.sizeOfInt(keys[i].length)
                    + keys[i].length
                    + sizeOfBytes(headers.get(i).value());
        }
        return size;
    }

    private static int sizeOfBytes(byte[] bytes) {
        return bytes == null ? 1 : Varint.sizeOfInt(bytes.length) + bytes.length;
    }

    private static byte[][] encodeHeaderKeys(List<Header> headers) {
        if (headers.isEmpty()) {
            return NO_HEADER_KEYS;
        }
        byte[][] keys = new byte[headers.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = headers.get(i).key().getBytes(StandardCharsets.UTF_8);
        }
        return keys;
    }
}
