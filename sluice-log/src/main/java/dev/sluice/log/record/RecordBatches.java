package dev.sluice.log.record;

import static dev.sluice.log.record.RecordBatchFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates the whole batches in a buffer of concatenated batches (a fetch response, a slice of a segment). A
 * trailing partial batch is not returned. The batches are views that share the buffer's content.
 */
public final class RecordBatches implements Iterable<RecordBatch> {
    private final ByteBuffer buffer;

    /** @param buffer batches from its position to its limit */
    public RecordBatches(ByteBuffer buffer) {
        this.buffer = buffer.slice().order(ByteOrder.BIG_ENDIAN);
    }

    /** Size of the batch starting at {@code position}, or -1 if the header is not complete there. */
    public static int sizeOfBatchAt(ByteBuffer buffer, int position) {
        if (buffer.limit() - position < LOG_OVERHEAD) {
            return -1;
        }
        return LOG_OVERHEAD + buffer.getInt(position + LENGTH_OFFSET);
    }

    @Override
    public Iterator<RecordBatch> iterator() {
        return new Iterator<>() {
            private int position;

            @Override
            public boolean hasNext() {
                int size = sizeOfBatchAt(buffer, position);
                return size >= HEADER_SIZE && position + size <= buffer.limit();
            }

            @Override
            public RecordBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int size = sizeOfBatchAt(buffer, position);
                ByteBuffer slice = buffer.duplicate();
                slice.position(position).limit(position + size);
                position += size;
                return RecordBatch.wrap(slice.slice());
            }
        };
    }

    /** Bytes covered by whole batches. */
    public int validBytes() {
        int position = 0;
        for (int size = sizeOfBatchAt(buffer, 0);
                size >= HEADER_SIZE && position + size <= buffer.limit();
                size = sizeOfBatchAt(buffer, position)) {
            position += size;
        }
        return position;
    }
}
