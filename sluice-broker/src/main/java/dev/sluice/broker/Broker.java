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

    /** Whether {@link #transactionalProducer} works here: Kafka yes, the embedded log not yet. */
    default boolean supportsTransactions() {
        return false;
    }

    /**
     * A producer for exactly-once topic-to-topic stages. Give its consumers {@link ConsumerConfig#withReadCommitted}.
     *
     * @param id names the producer's transactions (the backend adds a random part, so processes running the same
     *     pipeline never share one)
     * @throws UnsupportedOperationException if this broker has no transactions
     */
    default TransactionalProducer transactionalProducer(String id) {
        throw new UnsupportedOperationException(
                "Exactly-once stages need a broker with transactions, such as kafka://host:port; " + url()
                        + " has none. Use the default (at-least-once) guarantee here.");
    }

    /** Flushes and closes producers, then releases the broker's resources. */
    @Override
    void close();
}
