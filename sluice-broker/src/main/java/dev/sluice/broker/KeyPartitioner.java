package dev.sluice.broker;

/**
 * Maps a key to a partition exactly as Apache Kafka's default partitioner does (murmur2 of the key bytes, made
 * positive, modulo the partition count), so that a key lands in the same partition on every backend.
 */
public final class KeyPartitioner {
    private KeyPartitioner() {}

    public static int partition(byte[] key, int partitions) {
        return (murmur2(key) & 0x7fffffff) % partitions;
    }

    /**
     * The first of {@code prefix0}, {@code prefix1}, ... that lands in this partition: a key to reach one partition
     * on purpose (an event that moves event time on in every partition, in a test or a backfill).
     */
    public static String keyFor(String prefix, int partition, int partitions) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " is not one of 0.." + (partitions - 1));
        }
        for (int i = 0; ; i++) {
            String key = prefix + i;
            if (partition(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), partitions) == partition) {
                return key;
            }
        }
    }

    /** The 32-bit murmur2 hash with Kafka's seed. */
    public static int murmur2(byte[] data) {
        final int m = 0x5bd1e995;
        final int r = 24;
        int length = data.length;
        int h = 0x9747b28c ^ length;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++) {
            int j = i * 4;
            int k = (data[j] & 0xff)
                    | ((data[j + 1] & 0xff) << 8)
                    | ((data[j + 2] & 0xff) << 16)
                    | ((data[j + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = blocks * 4;
        int rest = length % 4;
        if (rest == 3) {
            h ^= (data[tail + 2] & 0xff) << 16;
        }
        if (rest >= 2) {
            h ^= (data[tail + 1] & 0xff) << 8;
        }
        if (rest >= 1) {
            h ^= data[tail] & 0xff;
            h *= m;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
