package dev.sluice.kafka;

import dev.sluice.broker.UnknownTopicException;
import dev.sluice.log.config.Levenshtein;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The partition counts of the topics this broker has used, looked up once. It lets a send or subscribe to a topic
 * that does not exist fail at once with a suggestion, where Kafka's producer would wait {@code max.block.ms} for
 * metadata that never comes. Thread-safe.
 */
final class TopicCatalog {
    private final Admin admin;
    private final KafkaUrl url;
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();

    TopicCatalog(Admin admin, KafkaUrl url) {
        this.admin = admin;
        this.url = url;
    }

    /**
     * @throws UnknownTopicException if the cluster has no such topic
     */
    int partitions(String topic) {
        Integer known = partitions.get(topic);
        if (known != null) {
            return known;
        }
        int count = describe(topic).partitions().size();
        partitions.put(topic, count);
        return count;
    }

    TopicDescription describe(String topic) {
        try {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic);
        } catch (Exception e) {
            if (KafkaErrors.unwrap(e) instanceof UnknownTopicOrPartitionException) {
                throw unknown(topic);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw KafkaErrors.translate(e, "looking up topic " + topic, url);
        }
    }

    void forget(String topic) {
        partitions.remove(topic);
    }

    UnknownTopicException unknown(String topic) {
        String hint = "";
        try {
            hint =
                    admin
                            .listTopics(new ListTopicsOptions().listInternal(false))
                            .names()
                            .get(10, TimeUnit.SECONDS)
                            .stream()
                            .filter(t -> Levenshtein.distance(t, topic) <= 2)
                            .min(Comparator.comparingInt(t -> Levenshtein.distance(t, topic)))
                            .map(t -> " Did you mean '" + t + "'?")
                            .orElse("");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // no hint then
        }
        return new UnknownTopicException("Topic '" + topic + "' does not exist on " + url + "." + hint);
    }
}
