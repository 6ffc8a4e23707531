package dev.sluice.connect.kafka;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.TopicDescription;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.connector.SourceConnector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code type: kafka} source: copies a topic of a Kafka cluster into the pipeline's topic (a bridge, e.g. from
 * production into a laptop pipeline), events as they are: keys, values, headers, timestamps. It reads every partition
 * itself (no consumer group on the cluster, nothing committed there) and keeps its offsets as the source's position, so
 * a restart goes on where it stopped. {@code until: end} stops at the end the topic had when the source started.
 */
public final class KafkaSource implements SourceConnector {
    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public String description() {
        return "copies a topic of a Kafka cluster";
    }

    @Override
    public List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(BridgeSettings.keys());
        keys.add(ConfigKey.optional("start-at", "latest", "earliest (default) or latest, on the first run"));
        keys.add(ConfigKey.optional("until", "end", "end: stop at the end the topic had at the start; else follow it"));
        return keys;
    }

    @Override
    public Source create(Config config, ConnectorContext context) {
        BridgeSettings settings = BridgeSettings.of(config);
        String startAt = config.string("start-at", "earliest");
        if (!startAt.equals("earliest") && !startAt.equals("latest")) {
            throw config.error("start-at", "must be earliest or latest, got '" + startAt + "'.");
        }
        String until = config.string("until", null);
        if (until != null && !until.equals("end")) {
            throw config.error("until", "can only be end (or left out, to follow the topic), got '" + until + "'.");
        }
        return new Reader(settings, startAt.equals("latest"), until != null);
    }

    static final class Reader implements Source {
        private final BridgeSettings settings;
        private final boolean startAtLatest;
        private final boolean untilEnd;
        private Broker broker;
        private Consumer consumer;
        /** Next offset to read, per partition: the position. */
        private final Map<String, Object> next = new LinkedHashMap<>();
        /** Where each partition ended when the source started: it stops there with {@code until: end}. */
        private final Map<Integer, Long> ends = new HashMap<>();

        private boolean caughtUp;

        Reader(BridgeSettings settings, boolean startAtLatest, boolean untilEnd) {
            this.settings = settings;
            this.startAtLatest = startAtLatest;
            this.untilEnd = untilEnd;
        }

        @Override
        public void open(Map<String, Object> position) {
            broker = Brokers.open(settings.url(), settings.clientSettings());
            TopicDescription topic = broker.admin().describeTopic(settings.topic());
            consumer = broker.consumer(
                    ConsumerConfig.defaults().withMaxPollEvents(2_000).withReadCommitted(true));
            List<TopicPartition> all = new ArrayList<>();
            for (TopicDescription.PartitionInfo p : topic.partitions()) {
                all.add(new TopicPartition(settings.topic(), p.partition()));
            }
            consumer.assign(all);
            consumer.seekToEnd(all); // the end a read-committed reader sees: before any open transaction
            for (TopicPartition tp : all) {
                ends.put(tp.partition(), consumer.position(tp));
            }
            for (TopicPartition tp : all) {
                Object stored = position == null ? null : position.get(Integer.toString(tp.partition()));
                if (stored instanceof Number offset) {
                    consumer.seek(tp, offset.longValue());
                } else if (startAtLatest) {
                    consumer.seekToEnd(List.of(tp));
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
                next.put(Integer.toString(tp.partition()), consumer.position(tp));
            }
        }

        @Override
        public Batch poll(Duration maxWait) {
            if (untilEnd && reachedEnd()) {
                return null;
            }
            List<ConsumedEvent> consumed = consumer.poll(maxWait);
            List<Event> events = new ArrayList<>(consumed.size());
            for (ConsumedEvent e : consumed) {
                events.add(e.event());
                next.put(Integer.toString(e.partition()), e.offset() + 1);
            }
            return new Batch(events, new LinkedHashMap<>(next));
        }

        @Override
        public boolean caughtUp() {
            caughtUp = caughtUp || reachedEnd();
            return caughtUp;
        }

        private boolean reachedEnd() {
            for (Map.Entry<Integer, Long> end : ends.entrySet()) {
                long at = consumer.position(new TopicPartition(settings.topic(), end.getKey()));
                if (at < end.getValue()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() {
            if (consumer != null) {
                consumer.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }
}
