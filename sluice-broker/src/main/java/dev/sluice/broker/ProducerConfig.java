package dev.sluice.broker;

/**
 * Producer settings.
 *
 * @param batchBytes target size of a batch per partition; bigger batches mean higher throughput
 * @param lingerMs how long a non-full batch may wait for more events; 0 sends as soon as the sender is free, which
 *     still batches under load
 * @param bufferBytes memory for batches not yet stored; when full, {@code send} blocks (backpressure)
 * @param maxBlockMs how long {@code send} may block on a full buffer before failing
 */
public record ProducerConfig(int batchBytes, long lingerMs, long bufferBytes, long maxBlockMs) {
    public ProducerConfig {
        if (batchBytes < 1024) {
            throw new IllegalArgumentException("batchBytes must be >= 1024, got " + batchBytes);
        }
        if (lingerMs < 0 || maxBlockMs < 0) {
            throw new IllegalArgumentException("lingerMs and maxBlockMs must be >= 0");
        }
        if (bufferBytes < batchBytes) {
            throw new IllegalArgumentException(
                    "bufferBytes (" + bufferBytes + ") must be >= batchBytes (" + batchBytes + ")");
        }
    }

    /** 256 KiB batches, no linger, 32 MiB of buffer, block up to 60 s. */
    public static ProducerConfig defaults() {
        return new ProducerConfig(256 * 1024, 0, 32L << 20, 60_000);
    }

    public ProducerConfig withLingerMs(long lingerMs) {
        return new ProducerConfig(batchBytes, lingerMs, bufferBytes, maxBlockMs);
    }

    public ProducerConfig withBatchBytes(int batchBytes) {
        return new ProducerConfig(batchBytes, lingerMs, Math.max(bufferBytes, batchBytes), maxBlockMs);
    }

    public ProducerConfig withBufferBytes(long bufferBytes) {
        return new ProducerConfig(batchBytes, lingerMs, bufferBytes, maxBlockMs);
    }

    public ProducerConfig withMaxBlockMs(long maxBlockMs) {
        return new ProducerConfig(batchBytes, lingerMs, bufferBytes, maxBlockMs);
    }
}
