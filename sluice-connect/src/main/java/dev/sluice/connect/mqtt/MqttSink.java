package dev.sluice.connect.mqtt;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkConnector;
import dev.sluice.stream.connector.SinkException;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.json.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code type: mqtt} sink: publishes each event's value to an MQTT topic, which may name the event's key or fields
 * ({@code devices/{key}/commands}, {@code alerts/{site}}). A batch is written when the broker acknowledged every
 * message (QoS 1); a broker that is away is waited for with backoff, as for any sink.
 */
public final class MqttSink implements SinkConnector {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]+)}");
    /** Longest wait for the broker's acknowledgements of a batch before it counts as away. */
    private static final long ACK_TIMEOUT_S = 30;

    @Override
    public String type() {
        return "mqtt";
    }

    @Override
    public String description() {
        return "publishes to an MQTT broker";
    }

    @Override
    public List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(MqttSettings.keys());
        keys.add(ConfigKey.required("topic", "devices/{key}/commands", "the MQTT topic; {key} and {field} fill in"));
        keys.add(ConfigKey.optional("retain", "true", "publish retained messages (default false)"));
        return keys;
    }

    @Override
    public Sink create(Config config, ConnectorContext context) {
        MqttSettings settings = MqttSettings.of(config, context);
        // each task needs its own id: a broker drops a client whose id connects again
        settings = settings.withClientId(settings.clientId() + "-" + context.task());
        String topic = config.string("topic");
        if (topic.isEmpty() || topic.contains("#") || topic.contains("+")) {
            throw config.error("topic", "must be a topic name without wildcards, got '" + topic + "'.");
        }
        return new Publisher(settings, topic, config.bool("retain", false));
    }

    static final class Publisher implements Sink {
        private final MqttSettings settings;
        private final String topic;
        private final boolean retain;
        private MqttConnection connection;

        Publisher(MqttSettings settings, String topic, boolean retain) {
            this.settings = settings;
            this.topic = topic;
            this.retain = retain;
        }

        @Override
        public void open() {
            connection = MqttConnection.of(settings);
            try {
                connection.connect().get(10, TimeUnit.SECONDS);
            } catch (Exception e) { // the client keeps trying; write() answers "unreachable" until it is back
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void write(List<StreamRecord> records) throws SinkException {
            List<String> topics = new ArrayList<>(records.size());
            for (StreamRecord r : records) {
                topics.add(topicOf(r)); // all of them before anything is sent: a refusal sends nothing twice
            }
            if (!connection.isConnected()) { // the client would queue them while it reconnects, again at each retry
                throw SinkException.retriable("MQTT broker " + settings.address() + " unreachable", null);
            }
            List<CompletableFuture<Void>> sent = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                byte[] value = records.get(i).valueBytes();
                sent.add(connection.publish(topics.get(i), value == null ? new byte[0] : value, retain));
            }
            try {
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(ACK_TIMEOUT_S, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException | ExecutionException e) {
                // which ones: those acknowledged are not sent again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SinkException.retriable("interrupted", e);
            }
            List<StreamRecord> failed = new ArrayList<>();
            Throwable retriable = null;
            MqttConnection.Refused refused = null;
            for (int i = 0; i < sent.size(); i++) {
                try {
                    if (!sent.get(i).isDone()) {
                        failed.add(records.get(i));
                        retriable = new TimeoutException("did not acknowledge within " + ACK_TIMEOUT_S + " s");
                    } else {
                        sent.get(i).join();
                    }
                } catch (CompletionException e) {
                    failed.add(records.get(i));
                    if (e.getCause() instanceof MqttConnection.Refused r) {
                        refused = r;
                    } else {
                        retriable = e.getCause();
                    }
                }
            }
            SinkException e = retriable != null // refused ones among them are found when the rest got through
                    ? SinkException.retriable(
                            "MQTT broker " + settings.address() + ": " + retriable.getMessage(), retriable)
                    : SinkException.rejected(refused.getMessage(), refused);
            throw e.partly(failed, List.of());
        }

        /** The topic with its placeholders filled in from the record. */
        private String topicOf(StreamRecord r) throws SinkException {
            if (topic.indexOf('{') < 0) {
                return topic;
            }
            Map<String, Object> fields = null;
            Matcher m = PLACEHOLDER.matcher(topic);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                Object value;
                if (name.equals("key")) {
                    value = r.keyAsString();
                } else {
                    if (fields == null) {
                        fields = fields(r);
                    }
                    value = fields.get(name);
                }
                if (value == null || value.toString().isEmpty()) {
                    throw SinkException.rejected(
                            "MQTT topic " + topic + ": the event has no "
                                    + (name.equals("key") ? "key" : "field '" + name + "'"),
                            null);
                }
                String level = value.toString();
                if (level.contains("/") || level.contains("+") || level.contains("#")) {
                    throw SinkException.rejected(
                            "MQTT topic " + topic + ": " + name + " '" + level + "' would not be one topic level",
                            null);
                }
                m.appendReplacement(out, Matcher.quoteReplacement(level));
            }
            m.appendTail(out);
            return out.toString();
        }

        private static Map<String, Object> fields(StreamRecord r) throws SinkException {
            if (r.isParsed()) {
                return r.fields();
            }
            try {
                return Json.parseObject(r.valueBytes());
            } catch (JsonException e) {
                throw SinkException.rejected("the MQTT topic needs the event's fields, but " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
