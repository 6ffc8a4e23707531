package dev.sluice.kafka;

import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.ProducerConfig;
import dev.sluice.log.config.Durations;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The settings of the Kafka clients Sluice creates. Sluice's own settings come first, then the user's {@code kafka:}
 * map, which wins: keys apply to every client, and keys prefixed {@code producer.}, {@code consumer.} or {@code
 * admin.} to that client only (as in Kafka Connect). {@code startup-timeout} is Sluice's: how long to wait for an
 * unreachable cluster at start.
 */
final class ClientSettings {
    static final String STARTUP_TIMEOUT = "startup-timeout";
    private static final String[] PREFIXES = {"producer.", "consumer.", "admin."};
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final KafkaUrl url;
    private final Map<String, String> options;

    ClientSettings(KafkaUrl url, Map<String, String> options) {
        this.url = url;
        this.options = Map.copyOf(options);
    }

    KafkaUrl url() {
        return url;
    }

    long startupTimeoutMs() {
        String value = options.getOrDefault(STARTUP_TIMEOUT, "60s");
        try {
            return Durations.parseMillis(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Kafka setting " + STARTUP_TIMEOUT + ": '" + value + "' is not a duration; write 30s, 2m or 1h.");
        }
    }

    Properties admin() {
        Properties p = common("admin");
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return user(p, "admin.");
    }

    Properties producer(ProducerConfig config, String transactionalId) {
        Properties p = common("producer");
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("batch.size", Integer.toString(config.batchBytes()));
        p.put("linger.ms", Long.toString(config.lingerMs()));
        p.put("buffer.memory", Long.toString(config.bufferBytes()));
        p.put("max.block.ms", Long.toString(config.maxBlockMs()));
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        if (transactionalId != null) {
            p.put("transactional.id", transactionalId);
            p.put("transaction.timeout.ms", "10000");
        }
        return user(p, "producer.");
    }

    Properties consumer(ConsumerConfig config) {
        Properties p = common("consumer");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        if (config.groupId() != null) {
            p.put("group.id", config.groupId());
        }
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", config.offsetReset().name().toLowerCase(Locale.ROOT));
        p.put("max.poll.records", Integer.toString(config.maxPollEvents()));
        p.put("max.poll.interval.ms", Long.toString(config.maxPollIntervalMs()));
        p.put("max.partition.fetch.bytes", Integer.toString(config.fetchBytes()));
        p.put("check.crcs", Boolean.toString(config.checkCrcs()));
        p.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        // a killed process's partitions move after 10 s, not Kafka's 45 s default: pipelines restart quickly
        p.put("session.timeout.ms", "10000");
        p.put("heartbeat.interval.ms", "2000");
        p.put("isolation.level", config.readCommitted() ? "read_committed" : "read_uncommitted");
        return user(p, "consumer.");
    }

    private Properties common(String role) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "sluice-" + role + "-" + CLIENTS.incrementAndGet());
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        return p;
    }

    private Properties user(Properties p, String prefix) {
        options.forEach((key, value) -> {
            if (!key.equals(STARTUP_TIMEOUT) && !hasClientPrefix(key)) {
                p.put(key, value);
            }
        });
        options.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                p.put(key.substring(prefix.length()), value);
            }
        });
        return p;
    }

    private static boolean hasClientPrefix(String key) {
        for (String prefix : PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
