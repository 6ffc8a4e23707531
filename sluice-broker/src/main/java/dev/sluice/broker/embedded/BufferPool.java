package dev.sluice.broker.embedded;

import dev.sluice.broker.BrokerException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed budget of memory for producer batches. Buffers of the standard batch size are reused; larger ones (for a
 * single big event) are allocated and dropped but still count against the budget. When the budget is spent, {@link
 * #allocate} blocks: this is how a producer that outruns the log slows down instead of filling the heap.
 * Thread-safe.
 */
final class BufferPool {
    private final long totalBytes;
    private final int poolableSize;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    /** Bytes neither allocated nor held in {@link #free}. */
    private long unallocated;

    BufferPool(long totalBytes, int poolableSize) {
        this.totalBytes = totalBytes;
        this.poolableSize = poolableSize;
        this.unallocated = totalBytes;
    }

    int poolableSize() {
        return poolableSize;
    }

    /**
     * @throws BrokerException if no memory frees up within {@code maxBlockMs}
     */
    ByteBuffer allocate(int size, long maxBlockMs) throws InterruptedException {
        if (size > totalBytes) {
            throw new BrokerException("An event of " + size + " bytes does not fit the producer's buffer of "
                    + totalBytes + " bytes. Raise ProducerConfig.bufferBytes.");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        lock.lock();
        try {
            while (true) {
                if (size == poolableSize && !free.isEmpty()) {
                    return free.pollFirst().clear();
                }
                while (unallocated < size && !free.isEmpty()) {
                    free.pollLast();
                    unallocated += poolableSize;
                }
                if (unallocated >= size) {
                    unallocated -= size;
                    return ByteBuffer.allocateDirect(size);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new BrokerException("The producer's " + totalBytes + "-byte buffer stayed full for "
                            + maxBlockMs + " ms: events are sent faster than the broker stores them. Slow down, or"
                            + " raise ProducerConfig.maxBlockMs or bufferBytes.");
                }
                released.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    void release(ByteBuffer buffer) {
        lock.lock();
        try {
            if (buffer.capacity() == poolableSize) {
                free.addFirst(buffer);
            } else {
                unallocated += buffer.capacity();
            }
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
