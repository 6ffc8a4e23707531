package dev.sluice.kafka;

import dev.sluice.broker.InvalidTopicException;
import dev.sluice.broker.NewTopic;
import dev.sluice.log.config.FlushPolicy;
import dev.sluice.log.config.InvalidConfigException;
import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.config.TopicSetting;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sluice's topic settings as Kafka topic configs. The keys share Kafka's names and meanings; values written the Sluice
 * way ({@code 7d}, {@code 64MiB}) become the numbers Kafka takes. Only the settings a pipeline gives are passed on,
 * so the cluster's defaults hold for the rest. {@code flush.policy} has no Kafka key: {@code always} becomes {@code
 * flush.messages=1}, {@code interval} becomes {@code flush.ms}, {@code os} is Kafka's own default.
 */
final class TopicSettings {
    private TopicSettings() {}

    static org.apache.kafka.clients.admin.NewTopic toKafka(NewTopic topic) {
        Optional<Short> replication =
                topic.replicationFactor().stream().mapToObj(n -> (short) n).findFirst();
        return new org.apache.kafka.clients.admin.NewTopic(topic.name(), Optional.of(topic.partitions()), replication)
                .configs(configs(topic));
    }

    static Map<String, String> configs(NewTopic topic) {
        Map<String, String> given = topic.logConfig();
        TopicConfig parsed;
        try {
            parsed = TopicConfig.of(given);
        } catch (InvalidConfigException e) {
            throw new InvalidTopicException("Topic '" + topic.name() + "': " + e.getMessage());
        }
        Map<String, String> normalized = parsed.toMap();
        Map<String, String> kafka = new LinkedHashMap<>();
        for (String key : given.keySet()) {
            if (key.equals(TopicSetting.FLUSH_POLICY.key()) || key.equals(TopicSetting.FLUSH_MS.key())) {
                continue;
            }
            kafka.put(key, normalized.get(key));
        }
        if (given.containsKey(TopicSetting.FLUSH_POLICY.key())) {
            if (parsed.flushPolicy() == FlushPolicy.ALWAYS) {
                kafka.put("flush.messages", "1");
            } else if (parsed.flushPolicy() == FlushPolicy.INTERVAL) {
                kafka.put("flush.ms", Long.toString(parsed.flushIntervalMs()));
            }
        }
        return kafka;
    }
}
