package dev.sluice.broker;

/**
 * A place to publish and consume events: the embedded log ({@code embedded:./data}) or a real engine such as Apache
 * Kafka ({@code kafka://host:9092}). Open one with {@link Brokers#open(String)}. Thread-safe; producers are
 * thread-safe, consumers belong to one thread.
 */
public interface Broker extends AutoCloseable {
    /** The URL this broker was opened with. */
    String url();

    Admin admin();

    Producer producer(ProducerConfig config);

    default Producer producer() {
        return producer(ProducerConfig.defaults());
    }

    Consumer consumer(ConsumerConfig config);

    /** Flushes and closes producers, then releases the broker's resources. */
    @Override
    void close();
}
