package dev.sluice.kafka;

import dev.sluice.broker.Broker;
import dev.sluice.broker.BrokerProvider;
import java.util.Map;

/**
 * Serves {@code kafka://host:port[,host:port...]} URLs. The options are Kafka client settings (SASL, TLS,
 * compression, linger, acks, ...), passed through as given; see {@link ClientSettings}.
 */
public final class KafkaBrokerProvider implements BrokerProvider {
    @Override
    public String scheme() {
        return "kafka";
    }

    @Override
    public String example() {
        return "kafka://localhost:9092";
    }

    @Override
    public Broker open(String url, Map<String, String> options) {
        return KafkaBroker.connect(new ClientSettings(KafkaUrl.parse(url), options));
    }
}
