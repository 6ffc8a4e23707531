package dev.sluice.log.record;

import static dev.sluice.log.record.RecordBatchFormat.*;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the records of one batch, decoding each record's fields in place. Headers are decoded only when asked for.
 * Not thread-safe.
 */
public final class RecordCursor {
    private final ByteBuffer buffer;
    private final long baseOffset;
    private final long baseTimestamp;
    private final int end;
    private final int recordCount;
    private int read;
    private int next = RECORDS_OFFSET;

    private long offset;
    private long timestamp;
    private int keyPosition;
    private int keyLength;
    private int valuePosition;
    private int valueLength;
    private int headersPosition;
    private int headerCount;

    RecordCursor(RecordBatch batch, ByteBuffer batchBuffer) {
        this.buffer = batchBuffer.duplicate();
        this.baseOffset = batch.baseOffset();
        this.baseTimestamp = batch.baseTimestamp();
        this.end = batch.sizeInBytes();
        this.recordCount = batch.recordCount();
    }

    /**
     * Moves to the next record.
     *
     * @return false when the batch has no more records
     * @throws CorruptRecordException if a record overruns the batch
     */
    public boolean next() {
        if (read >= recordCount) {
            return false;
        }
        try {
            buffer.limit(end).position(next);
            int length = Varint.readInt(buffer);
            int start = buffer.position();
            if (length < 0 || start + length > end) {
                throw new CorruptRecordException("record length " + length + " overruns its batch");
            }
            buffer.get(); // attributes: unused in v2
            timestamp = baseTimestamp + Varint.readLong(buffer);
            offset = baseOffset + Varint.readInt(buffer);
            keyLength = Varint.readInt(buffer);
            keyPosition = buffer.position();
            if (keyLength > 0) {
                buffer.position(keyPosition + keyLength);
            }
            valueLength = Varint.readInt(buffer);
            valuePosition = buffer.position();
            if (valueLength > 0) {
                buffer.position(valuePosition + valueLength);
            }
            headerCount = Varint.readInt(buffer);
            headersPosition = buffer.position();
            if (headerCount < 0 || buffer.position() > start + length) {
                throw new CorruptRecordException("record fields overrun their record length " + length);
            }
            next = start + length;
            read++;
            return true;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptRecordException(
                    "record " + read + " of batch at offset " + baseOffset + " overruns the batch");
        }
    }

    public long offset() {
        return offset;
    }

    public long timestamp() {
        return timestamp;
    }

    /** -1 for a null key. */
    public int keyLength() {
        return keyLength;
    }

    /** -1 for a null value. */
    public int valueLength() {
        return valueLength;
    }

    public int headerCount() {
        return headerCount;
    }

    public byte[] key() {
        return copy(keyPosition, keyLength);
    }

    public byte[] value() {
        return copy(valuePosition, valueLength);
    }

    /** A read-only view of the value's bytes, or null; valid until the underlying buffer is reused. */
    public ByteBuffer valueView() {
        return view(valuePosition, valueLength);
    }

    /** A read-only view of the key's bytes, or null; valid until the underlying buffer is reused. */
    public ByteBuffer keyView() {
        return view(keyPosition, keyLength);
    }

    public List<Header> headers() {
        if (headerCount == 0) {
            return List.of();
        }
        try {
            ByteBuffer b = buffer.duplicate();
            b.limit(end).position(headersPosition);
            List<Header> headers = new ArrayList<>(headerCount);
            for (int i = 0; i < headerCount; i++) {
                int keyLen = Varint.readInt(b);
                if (keyLen < 0) {
                    throw new CorruptRecordException("header key length " + keyLen + " is negative");
                }
                byte[] k = new byte[keyLen];
                b.get(k);
                int valueLen = Varint.readInt(b);
                byte[] v = null;
                if (valueLen >= 0) {
                    v = new byte[valueLen];
                    b.get(v);
                }
                headers.add(new Header(new String(k, StandardCharsets.UTF_8), v));
            }
            return headers;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptRecordException("headers of record at offset " + offset + " overrun the batch");
        }
    }

    public LogRecord toRecord() {
        return new LogRecord(offset, timestamp, key(), value(), headers());
    }

    private byte[] copy(int position, int length) {
        if (length < 0) {
            return null;
        }
        byte[] out = new byte[length];
        buffer.get(position, out);
        return out;
    }

    private ByteBuffer view(int position, int length) {
        if (length < 0) {
            return null;
        }
        ByteBuffer b = buffer.duplicate();
        b.limit(position + length).position(position);
        return b.slice().asReadOnlyBuffer();
    }
}
