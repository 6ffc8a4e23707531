package dev.sluice.stream.runtime;

import dev.sluice.broker.Broker;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changelog topic of a stage with state: one partition per input partition, holding that partition's state
 * entries (latest value per key, so the topic is compacted) and its checkpoints. A checkpoint is an entry with the key
 * {@value #CHECKPOINT_KEY}: the input offset and watermark the entries before it belong to. Entries after the last
 * checkpoint are from a checkpoint that was cut short; a restore leaves them out and overwrites them.
 */
final class Changelog {
    static final String CHECKPOINT_KEY = "checkpoint";
    /**
     * Compacted; an entry stays uncompacted for a day, so that entries of a cut-short checkpoint cannot have removed
     * an older value of their key before a restart overwrites them. Written back by the operating system rather than
     * fsynced: a machine crash can only take the latest checkpoints (the log keeps a whole prefix), and a restore from
     * an earlier one reads more input again and emits the same results.
     */
    static final Map<String, String> TOPIC_CONFIG =
            Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "86400000", "flush.policy", "os");

    private static final byte[] CHECKPOINT = CHECKPOINT_KEY.getBytes(StandardCharsets.UTF_8);

    /**
     * A consistent point: the input offset to read next, and what the step keeps with its state (its watermark, for
     * one).
     */
    record Checkpoint(long offset, Map<String, Object> step) {}

    /**
     * A partition's state as of its last checkpoint.
     *
     * @param checkpoint null when the partition has none yet
     * @param cutShort keys written after the last checkpoint, to overwrite with their checkpointed value
     */
    record Restored(Map<String, byte[]> entries, Checkpoint checkpoint, List<String> cutShort) {}

    private final Broker broker;
    private final String topic;
    private final Map<TopicPartition, Integer> partitions = new HashMap<>();

    /**
     * @param inputs the stage's input partitions, in a fixed order: the n-th one's state goes to partition n
     */
    Changelog(Broker broker, String topic, List<TopicPartition> inputs) {
        this.broker = broker;
        this.topic = topic;
        for (int i = 0; i < inputs.size(); i++) {
            partitions.put(inputs.get(i), i);
        }
    }

    String topic() {
        return topic;
    }

    TopicPartition partitionFor(TopicPartition input) {
        Integer p = partitions.get(input);
        if (p == null) {
            throw new IllegalStateException(input + " is not an input of the stage whose changelog is " + topic);
        }
        return new TopicPartition(topic, p);
    }

    static Event entry(byte[] key, byte[] value, long now) {
        return new Event(key, value, List.of(), now);
    }

    static Event checkpoint(Checkpoint c, long now) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("offset", c.offset());
        value.put("step", c.step());
        return new Event(CHECKPOINT, Json.write(value), List.of(), now);
    }

    /** Reads a partition's changelog to its end. */
    Restored read(TopicPartition input) {
        TopicPartition tp = partitionFor(input);
        Map<String, byte[]> committed = new HashMap<>();
        Map<String, byte[]> pending = new LinkedHashMap<>();
        Checkpoint checkpoint = null;
        try (Consumer c = broker.consumer(ConsumerConfig.defaults().withReadCommitted(true))) {
            c.assign(List.of(tp));
            c.seekToEnd(List.of(tp));
            long end = c.position(tp);
            c.seekToBeginning(List.of(tp));
            while (c.position(tp) < end) {
                for (ConsumedEvent e : c.poll(Duration.ofMillis(200))) {
                    String key = new String(e.key(), StandardCharsets.UTF_8);
                    if (key.equals(CHECKPOINT_KEY)) {
                        pending.forEach((k, v) -> {
                            if (v == null) {
                                committed.remove(k);
                            } else {
                                committed.put(k, v);
                            }
                        });
                        pending.clear();
                        Map<String, Object> m = Json.parseObject(e.value());
                        @SuppressWarnings("unchecked")
                        Map<String, Object> step = (Map<String, Object>) m.get("step");
                        checkpoint = new Checkpoint(((Number) m.get("offset")).longValue(), step);
                    } else {
                        pending.put(key, e.value());
                    }
                }
            }
        }
        return new Restored(committed, checkpoint, new ArrayList<>(pending.keySet()));
    }
}
