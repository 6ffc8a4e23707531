package dev.sluice.broker;

import java.util.Map;

/**
 * Opens brokers for one URL scheme; implementations are found with {@link java.util.ServiceLoader}, so a backend
 * module registers itself in {@code META-INF/services/dev.sluice.broker.BrokerProvider}.
 */
public interface BrokerProvider {
    /** The scheme this provider serves, such as {@code embedded} or {@code kafka}. */
    String scheme();

    /** An example URL for error messages, such as {@code embedded:./data}. */
    String example();

    /**
     * @param url the whole URL, scheme included
     * @param options backend settings (for Kafka, client properties)
     */
    Broker open(String url, Map<String, String> options);
}
