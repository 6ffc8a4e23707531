package dev.sluice.connect.kafka;

import dev.sluice.broker.Broker;
import dev.sluice.broker.BrokerException;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.Event;
import dev.sluice.broker.Producer;
import dev.sluice.broker.SendResult;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkConnector;
import dev.sluice.stream.connector.SinkException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code type: kafka} sink: writes events to a topic of a Kafka cluster (a bridge out of a pipeline on the embedded
 * broker), keys, values, headers and timestamps as they are; a batch is written when the cluster acknowledged every
 * event (the producer is idempotent, acks=all). The topic must exist there.
 */
public final class KafkaSink implements SinkConnector {
    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public String description() {
        return "writes to a topic of a Kafka cluster";
    }

    @Override
    public List<ConfigKey> keys() {
        return BridgeSettings.keys();
    }

    @Override
    public Sink create(Config config, ConnectorContext context) {
        return new Writer(BridgeSettings.of(config));
    }

    static final class Writer implements Sink {
        private final BridgeSettings settings;
        private Broker broker;
        private Producer producer;

        Writer(BridgeSettings settings) {
            this.settings = settings;
        }

        @Override
        public void open() {
            broker = Brokers.open(settings.url(), settings.clientSettings());
            if (!broker.admin().listTopics(false).contains(settings.topic())) {
                throw new IllegalStateException("topic '" + settings.topic() + "' does not exist on " + settings.url()
                        + "; create it there (the sink does not create topics on another cluster).");
            }
            producer = broker.producer();
        }

        @Override
        public void write(List<StreamRecord> records) throws SinkException {
            List<CompletableFuture<SendResult>> sent = new ArrayList<>(records.size());
            for (StreamRecord r : records) {
                sent.add(producer.send(
                        settings.topic(), new Event(r.key(), r.valueBytes(), r.headers(), r.timestamp())));
            }
            producer.flush();
            List<StreamRecord> failed = new ArrayList<>();
            BrokerException error = null;
            for (int i = 0; i < sent.size(); i++) {
                try {
                    sent.get(i).join();
                } catch (CompletionException e) {
                    failed.add(records.get(i));
                    error = e.getCause() instanceof BrokerException b
                            ? b
                            : new BrokerException(String.valueOf(e.getCause()), e.getCause());
                }
            }
            if (error != null) {
                String message = settings.url() + " topic " + settings.topic() + ": " + error.getMessage();
                SinkException e = error.isRetriable()
                        ? SinkException.retriable(message, error)
                        : SinkException.rejected(message, error);
                throw e.partly(failed, List.of());
            }
        }

        @Override
        public void close() {
            if (producer != null) {
                producer.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }
}
