package dev.sluice.connect.mqtt;

import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.stream.connector.Backoff;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.connector.SourceConnector;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code type: mqtt} source: subscribes to topic filters (with {@code +} and {@code #}) on an MQTT broker and publishes
 * each message to the source's topic, with the MQTT topic, QoS and properties as headers and a key from a topic level
 * or a payload field. A QoS 1 message is acknowledged to the MQTT broker only once the Sluice broker has stored it, so
 * a crash loses nothing: the broker sends it again when the source reconnects (under the same client id).
 */
public final class MqttSource implements SourceConnector {
    /**
     * The default receive maximum: the broker may send this many QoS 1 messages before the first is acknowledged, so
     * that waiting for stores does not slow the flow (Mosquitto's own default for clients that send none is 20).
     */
    static final int DEFAULT_RECEIVE_MAXIMUM = 10_000;

    @Override
    public String type() {
        return "mqtt";
    }

    @Override
    public String description() {
        return "subscribes to an MQTT broker";
    }

    @Override
    public List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(MqttSettings.keys());
        keys.add(ConfigKey.required("topics", "[plant/+/temperature, alarms/#]", "topic filters to subscribe to"));
        keys.add(ConfigKey.optional("key-level", "1", "the key is this level of the MQTT topic (from 0)"));
        keys.add(ConfigKey.optional("key-field", "device_id", "the key is this field of the JSON payload"));
        keys.add(ConfigKey.optional(
                "receive-maximum",
                "10000",
                "MQTT 5: QoS 1 messages the broker may send ahead of their acknowledgements (default "
                        + DEFAULT_RECEIVE_MAXIMUM + ")"));
        return keys;
    }

    @Override
    public Source create(Config config, ConnectorContext context) {
        MqttSettings base = MqttSettings.of(config, context);
        MqttSettings settings = base.withReceiveMaximum(receiveMaximum(config, base.version()));
        List<String> filters = config.strings("topics");
        if (filters.isEmpty()) {
            throw config.error("topics", "names no topic filter; give at least one, like [sensors/#].");
        }
        for (String f : filters) {
            int hash = f.indexOf('#');
            if (f.isEmpty() || (hash >= 0 && hash != f.length() - 1) || f.matches(".*[^/]\\+.*|.*\\+[^/].*")) {
                throw config.error(
                        "topics",
                        "has an invalid filter '" + f + "': '+' stands for a whole level and '#' for the rest, as in"
                                + " plant/+/temperature or alarms/#.");
            }
        }
        if (config.has("key-level") && config.has("key-field")) {
            throw config.error("key-field", "cannot be set with key-level; choose one.");
        }
        int level = config.has("key-level") ? keyLevel(config) : -1;
        String field = config.string("key-field", null);
        return new Subscriber(settings, filters, level, field);
    }

    private static int receiveMaximum(Config config, int version) {
        if (!config.has("receive-maximum")) {
            return version == 5 ? DEFAULT_RECEIVE_MAXIMUM : MqttSettings.BROKER_LIMIT;
        }
        Object v = config.raw("receive-maximum");
        if (!(v instanceof Number n)
                || n.doubleValue() != n.intValue()
                || n.intValue() < 1
                || n.intValue() > MqttSettings.BROKER_LIMIT) {
            throw config.error(
                    "receive-maximum",
                    "must be a number of messages from 1 to 65535 (65535 leaves it to the broker: 20 in Mosquitto),"
                            + " got " + v + ".");
        }
        if (version != 5) {
            throw config.error(
                    "receive-maximum",
                    "needs MQTT 5 (version: 5): over 3.1.1 the broker's own limit applies (max_inflight_messages in"
                            + " Mosquitto).");
        }
        return n.intValue();
    }

    private static int keyLevel(Config config) {
        Object v = config.raw("key-level");
        if (!(v instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 0) {
            throw config.error("key-level", "must be a topic level from 0, got " + v + ".");
        }
        return n.intValue();
    }

    /** The running source: one MQTT connection, its messages published as they come. */
    static final class Subscriber implements Source.Push {
        private final MqttSettings settings;
        private final List<String> filters;
        private final int keyLevel;
        private final String keyField;
        /** Whether stores are failing: the first failure of an outage is logged, not every message's. */
        private final AtomicBoolean failing = new AtomicBoolean();

        private MqttConnection connection;

        Subscriber(MqttSettings settings, List<String> filters, int keyLevel, String keyField) {
            this.settings = settings;
            this.filters = filters;
            this.keyLevel = keyLevel;
            this.keyField = keyField;
        }

        @Override
        public void open(Map<String, Object> position) {}

        @Override
        public void start(Publisher publisher) {
            connection = MqttConnection.of(settings);
            connection.subscribe(filters, m -> arrived(publisher, m));
            connection.connect().exceptionally(e -> {
                System.getLogger("dev.sluice.connect.mqtt")
                        .log(
                                System.Logger.Level.WARNING,
                                "MQTT broker " + settings.address() + " not reachable (" + e.getMessage()
                                        + "); trying again with backoff");
                return null;
            });
        }

        /** A message to store, with its event and its place in the order messages came. */
        private record Pending(long seq, MqttMessage message, Event event) {}

        /** Messages whose store failed, and those that came after, by the order they came; guarded by itself. */
        private final TreeMap<Long, Pending> retries = new TreeMap<>();
        /** Whether the retry loop runs; guarded by {@link #retries}. */
        private boolean retrying;
        /** Stores sent straight away and not yet answered. */
        private final AtomicInteger sent = new AtomicInteger();
        /** Counts messages as they come; used on the handler thread only. */
        private long arrivals;

        /**
         * Stores a message that came (on the connection's one handler thread) and acknowledges it once stored. While
         * earlier messages wait to be stored again, it queues behind them, so messages that come during a storage
         * outage are stored in the order they came (only those already sent when it began may be stored out of turn).
         */
        void arrived(Publisher publisher, MqttMessage m) {
            Pending p = new Pending(arrivals++, m, event(m));
            synchronized (retries) {
                if (!retries.isEmpty()) {
                    retries.put(p.seq(), p);
                    return;
                }
                sent.incrementAndGet();
            }
            CompletableFuture<?> stored;
            try {
                stored = publisher.publish(List.of(p.event()));
            } catch (RuntimeException e) {
                stored = CompletableFuture.failedFuture(e);
            }
            stored.whenComplete((r, e) -> {
                if (e == null) {
                    sent.decrementAndGet();
                    acknowledge(p);
                } else {
                    failed(publisher, p, e);
                }
            });
        }

        private void acknowledge(Pending p) {
            failing.set(false);
            try {
                p.message().acknowledge().run();
            } catch (RuntimeException e) { // the connection is gone: the broker sends it again
                System.getLogger("dev.sluice.connect.mqtt")
                        .log(System.Logger.Level.DEBUG, "could not acknowledge an MQTT message: " + e.getMessage());
            }
        }

        /**
         * A store failed: the message joins the retry queue in its place, and one loop works through the queue in
         * order, with backoff, until the source stops. It must be stored in the end: the MQTT client acknowledges in
         * the order messages came, so one never acknowledged would hold back every later one (and the broker stops
         * sending when its window of unacknowledged messages is full).
         */
        private void failed(Publisher publisher, Pending p, Throwable e) {
            if (failing.compareAndSet(false, true)) {
                System.getLogger("dev.sluice.connect.mqtt")
                        .log(
                                System.Logger.Level.WARNING,
                                "could not store an MQTT message from "
                                        + p.message().topic() + ": " + e.getMessage() + "; trying again");
            }
            synchronized (retries) {
                retries.put(p.seq(), p);
                sent.decrementAndGet();
                if (retrying) {
                    return;
                }
                retrying = true;
            }
            retryLater(publisher, 0);
        }

        private void retryLater(Publisher publisher, int failures) {
            CompletableFuture.delayedExecutor(Backoff.DEFAULT.delayMs(failures), TimeUnit.MILLISECONDS)
                    .execute(() -> retryFirst(publisher, failures));
        }

        /**
         * Stores the first message of the retry queue, then the next, until the queue is empty; it starts once every
         * store sent straight away has been answered, so that a failed one takes its place in the queue first.
         */
        private void retryFirst(Publisher publisher, int failures) {
            Pending first;
            synchronized (retries) {
                if (retries.isEmpty() || !publisher.isRunning()) { // when stopped: the broker sends them again later
                    retrying = false;
                    return;
                }
                if (sent.get() > 0) {
                    first = null;
                } else {
                    first = retries.firstEntry().getValue();
                }
            }
            if (first == null) {
                retryLater(publisher, 0);
                return;
            }
            CompletableFuture<?> stored;
            try {
                stored = publisher.publish(List.of(first.event()));
            } catch (RuntimeException e) {
                stored = CompletableFuture.failedFuture(e);
            }
            stored.whenComplete((r, e) -> {
                if (e != null) {
                    retryLater(publisher, failures + 1);
                    return;
                }
                synchronized (retries) {
                    retries.remove(first.seq());
                }
                acknowledge(first);
                CompletableFuture.runAsync(() -> retryFirst(publisher, 0));
            });
        }

        Event event(MqttMessage m) {
            List<Header> headers = new ArrayList<>();
            headers.add(Header.of("mqtt.topic", m.topic()));
            headers.add(Header.of("mqtt.qos", Integer.toString(m.qos())));
            if (m.retain()) {
                headers.add(Header.of("mqtt.retain", "true"));
            }
            headers.addAll(m.properties());
            return new Event(key(m), m.payload(), headers, System.currentTimeMillis());
        }

        private byte[] key(MqttMessage m) {
            if (keyLevel >= 0) {
                String[] levels = m.topic().split("/", -1);
                return keyLevel < levels.length ? levels[keyLevel].getBytes(StandardCharsets.UTF_8) : null;
            }
            if (keyField != null) {
                try {
                    Object v = Json.parseObject(m.payload()).get(keyField);
                    return v == null ? null : v.toString().getBytes(StandardCharsets.UTF_8);
                } catch (JsonException e) {
                    return null; // not JSON: no key; a parse step after the source dead-letters it with the reason
                }
            }
            return null;
        }

        @Override
        public void close() {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
