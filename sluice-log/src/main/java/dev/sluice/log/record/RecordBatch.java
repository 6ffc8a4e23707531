package dev.sluice.log.record;

import static dev.sluice.log.record.RecordBatchFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A read view of one v2 record batch in a buffer that starts at the batch's first byte and ends at its last.
 *
 * <p>A batch made by {@link RecordBatchBuilder} is trusted: its CRC was just computed. A batch wrapped from outside
 * bytes is validated before the log accepts it. Views are not thread-safe; {@link #duplicate()} gives another.
 */
public final class RecordBatch {
    private final ByteBuffer buffer;
    private final boolean trusted;

    private RecordBatch(ByteBuffer buffer, boolean trusted) {
        this.buffer = buffer.order(ByteOrder.BIG_ENDIAN);
        this.trusted = trusted;
    }

    /**
     * Wraps bytes from the outside world; nothing is checked until {@link #ensureValid()}.
     *
     * @param buffer position 0 is the batch's first byte and the limit its end
     */
    public static RecordBatch wrap(ByteBuffer buffer) {
        return new RecordBatch(buffer, false);
    }

    static RecordBatch trusted(ByteBuffer buffer) {
        return new RecordBatch(buffer, true);
    }

    /** True if the batch was encoded by this process and so needs no CRC check before it is stored. */
    public boolean isTrusted() {
        return trusted;
    }

    public long baseOffset() {
        return buffer.getLong(BASE_OFFSET_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    /** Total size, header included. */
    public int sizeInBytes() {
        return LOG_OVERHEAD + buffer.getInt(LENGTH_OFFSET);
    }

    public byte magic() {
        return buffer.get(MAGIC_OFFSET);
    }

    public short attributes() {
        return buffer.getShort(ATTRIBUTES_OFFSET);
    }

    public int recordCount() {
        return buffer.getInt(RECORD_COUNT_OFFSET);
    }

    public long baseTimestamp() {
        return buffer.getLong(BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(MAX_TIMESTAMP_OFFSET);
    }

    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_MASK) != 0;
    }

    /** The compaction delete horizon, or -1 when the batch has none. */
    public long deleteHorizonMs() {
        return hasDeleteHorizon() ? baseTimestamp() : -1;
    }

    public int storedCrc() {
        return buffer.getInt(CRC_OFFSET);
    }

    public int computeCrc() {
        CRC32C crc = new CRC32C();
        ByteBuffer range = buffer.duplicate();
        range.position(ATTRIBUTES_OFFSET).limit(sizeInBytes());
        crc.update(range);
        return (int) crc.getValue();
    }

    /** Assigns the base offset; the CRC does not cover it, so nothing else changes. */
    public void assignBaseOffset(long baseOffset) {
        buffer.putLong(BASE_OFFSET_OFFSET, baseOffset);
    }

    /**
     * Checks the layout and the CRC.
     *
     * @throws CorruptRecordException naming what is wrong
     */
    public void ensureValid() {
        int limit = buffer.limit();
        if (limit < HEADER_SIZE) {
            throw new CorruptRecordException(
                    "batch of " + limit + " bytes is shorter than the " + HEADER_SIZE + "-byte header");
        }
        if (magic() != MAGIC) {
            throw new CorruptRecordException("unsupported magic " + magic() + " (only v2 batches are stored)");
        }
        int size = sizeInBytes();
        if (size < HEADER_SIZE || size > limit) {
            throw new CorruptRecordException(
                    "batch length " + size + " does not fit the " + limit + " bytes available");
        }
        if (computeCrc() != storedCrc()) {
            throw new CorruptRecordException("CRC mismatch in batch at offset " + baseOffset() + " (stored "
                    + Integer.toHexString(storedCrc()) + ", computed " + Integer.toHexString(computeCrc()) + ")");
        }
        if ((attributes() & COMPRESSION_MASK) != 0) {
            throw new CorruptRecordException("compressed batches are not supported yet (compression codec "
                    + (attributes() & COMPRESSION_MASK) + ")");
        }
        if (recordCount() < 0
                || lastOffsetDelta() < 0
                || (recordCount() > 0 && lastOffsetDelta() < recordCount() - 1)) {
            throw new CorruptRecordException(
                    "record count " + recordCount() + " does not match last offset delta " + lastOffsetDelta());
        }
    }

    /** A flyweight cursor over the records: decodes fields in place and allocates nothing per record. */
    public RecordCursor cursor() {
        return new RecordCursor(this, buffer);
    }

    /** Decodes every record; allocates. */
    public List<LogRecord> records() {
        List<LogRecord> out = new ArrayList<>(Math.max(recordCount(), 0));
        RecordCursor cursor = cursor();
        while (cursor.next()) {
            out.add(cursor.toRecord());
        }
        return out;
    }

    /** The batch's bytes; position 0 is its first byte. Shares content with this view. */
    public ByteBuffer buffer() {
        ByteBuffer b = buffer.duplicate();
        b.position(0).limit(sizeInBytes());
        return b;
    }

    public RecordBatch duplicate() {
        return new RecordBatch(buffer.duplicate(), trusted);
    }

    @Override
    public String toString() {
        return "RecordBatch[baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", records=" + recordCount()
                + ", bytes=" + sizeInBytes() + "]";
    }
}
