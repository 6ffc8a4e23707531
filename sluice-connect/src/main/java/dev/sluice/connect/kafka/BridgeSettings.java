package dev.sluice.connect.kafka;

import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a bridge reads or writes: a topic on another broker than the pipeline's, by URL ({@code kafka://host:9092}),
 * with client settings for it (SASL, TLS...) as in a pipeline's {@code kafka:} map.
 */
record BridgeSettings(String url, String topic, Map<String, String> clientSettings) {
    static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.required("url", "kafka://prod-1:9092,prod-2:9092", "the other broker"),
                ConfigKey.required("topic", "orders", "the topic there"),
                ConfigKey.optional(
                        "kafka", "{security.protocol: SASL_SSL}", "client settings for that broker, as under kafka:"));
    }

    static BridgeSettings of(Config config) {
        String url = config.string("url");
        if (!url.startsWith("kafka://")) {
            throw config.error("url", "must be a kafka:// URL (kafka://host:9092,host2:9092), got '" + url + "'.");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (config.has("kafka")) {
            config.map("kafka").forEach((k, v) -> settings.put(k, config.withEnvironment("kafka", String.valueOf(v))));
        }
        return new BridgeSettings(url, config.string("topic"), settings);
    }
}
