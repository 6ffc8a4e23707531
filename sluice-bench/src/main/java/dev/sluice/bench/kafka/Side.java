package dev.sluice.bench.kafka;

import org.HdrHistogram.Histogram;

/** One system under comparison: the same workloads, run the way each system is normally used. */
interface Side extends AutoCloseable {
    String name();

    /** @param fsyncEveryWrite force each write to disk before it is acknowledged */
    void createTopic(String topic, int partitions, boolean fsyncEveryWrite) throws Exception;

    /** Sends {@code records} values of the given size as fast as possible; returns records per second, all acknowledged. */
    double produce(String topic, long records, int valueSize) throws Exception;

    /** Reads {@code records} from the start of every partition; returns records per second. */
    double consume(String topic, int partitions, long records) throws Exception;

    /** Nanoseconds from send to poll, for events sent at {@code rate} per second after a warm-up second. */
    Histogram endToEnd(String topic, int partitions, int rate, int seconds, int valueSize) throws Exception;

    @Override
    void close() throws Exception;
}
