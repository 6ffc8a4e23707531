package dev.sluice.connect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.PipelineValidator;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT source and sink against the local Mosquitto (127.0.0.1:1883), in MQTT 5 and 3.1.1. */
class MqttIT {
    private static final String URL = "tcp://127.0.0.1:1883";

    @TempDir
    Path dir;

    /** Topics of this run only: the broker is shared with other tests and keeps sessions. */
    private final String root = "sluice-test/" + System.nanoTime();

    private final Mqtt5BlockingClient device = MqttClient.builder()
            .useMqttVersion5()
            .identifier("device-" + System.nanoTime())
            .serverHost("127.0.0.1")
            .serverPort(1883)
            .buildBlocking();

    private EmbeddedBroker broker;

    @AfterEach
    void close() {
        if (device.getState().isConnected()) {
            device.disconnect();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldTakeMessagesFromWildcardSubscriptionsWithTheirTopicAndPropertiesAsHeaders() throws Exception {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("url", URL);
        source.put("version", 5);
        source.put("client-id", "sluice-it-" + System.nanoTime());
        source.put("topics", List.of(root + "/plant/+/temperature", root + "/alarms/#"));
        source.put("key-level", 3);
        PipelineSpec spec = Pipeline.named("iot")
                .topic("readings", 2)
                .topic("clean", 1)
                .source("sensors", "mqtt", "readings", source)
                .stage("parse", s -> s.from("readings").parse("json").to("clean"))
                .build();
        broker = EmbeddedBroker.open(dir.resolve("data"));
        try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
            device.connect();
            awaitSubscribed("readings", root + "/plant/probe/temperature");
            for (int i = 0; i < 20; i++) {
                device.publishWith()
                        .topic(root + "/plant/d" + (i % 4) + "/temperature")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("{\"n\": " + i + ", \"celsius\": " + (20 + i) + "}").getBytes(StandardCharsets.UTF_8))
                        .contentType("application/json")
                        .userProperties()
                        .add("site", "berlin")
                        .applyUserProperties()
                        .send();
            }
            device.publishWith()
                    .topic(root + "/alarms/fire/d2")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("smoke!".getBytes(StandardCharsets.UTF_8))
                    .send();
            device.publishWith()
                    .topic(root + "/other/d1")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{}".getBytes(StandardCharsets.UTF_8))
                    .send();
            await().atMost(Duration.ofSeconds(20)).until(() -> read("readings").size() >= 22);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> read("iot.parse.dlq").size() >= 1);
        }
        List<ConsumedEvent> readings = read("readings").stream()
                .filter(e -> !header(e, "mqtt.topic").contains("probe"))
                .toList();
        assertThat(readings).hasSize(21).noneMatch(e -> header(e, "mqtt.topic").contains("other"));
        ConsumedEvent first = readings.stream()
                .filter(e -> e.valueAsString().contains("\"n\": 0,"))
                .findFirst()
                .orElseThrow();
        assertThat(first.keyAsString()).isEqualTo("d0");
        assertThat(header(first, "mqtt.topic")).isEqualTo(root + "/plant/d0/temperature");
        assertThat(header(first, "mqtt.qos")).isEqualTo("1");
        assertThat(header(first, "mqtt.content-type")).isEqualTo("application/json");
        assertThat(header(first, "mqtt.user.site")).isEqualTo("berlin");
        ConsumedEvent alarm = readings.stream()
                .filter(e -> header(e, "mqtt.topic").contains("alarms"))
                .findFirst()
                .orElseThrow();
        assertThat(alarm.keyAsString()).as("level 3 of <root>/alarms/fire/d2").isEqualTo("fire");
        // the payload that is not JSON goes on to the stage, which dead-letters it with the reason
        List<ConsumedEvent> dead = read("iot.parse.dlq");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).valueAsString()).isEqualTo("smoke!");
        assertThat(header(dead.get(0), "sluice.dlq.message")).contains("JSON");
    }

    @Test
    void shouldKeyByAPayloadFieldOverMqtt311() throws Exception {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("url", URL);
        source.put("client-id", "sluice-it3-" + System.nanoTime());
        source.put("topics", List.of(root + "/#"));
        source.put("key-field", "device");
        PipelineSpec spec = Pipeline.named("iot3")
                .topic("readings", 1)
                .source("sensors", "mqtt", "readings", source)
                .build();
        broker = EmbeddedBroker.open(dir.resolve("data"));
        try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
            device.connect();
            awaitSubscribed("readings", root + "/probe");
            for (int i = 0; i < 10; i++) {
                device.publishWith()
                        .topic(root + "/x")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("{\"device\": \"dev-" + i + "\"}").getBytes(StandardCharsets.UTF_8))
                        .send();
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> read("readings").stream()
                                    .filter(e -> header(e, "mqtt.topic").endsWith("/x"))
                                    .count()
                            == 10);
        }
        Set<String> keys = new TreeSet<>();
        read("readings").stream()
                .filter(e -> header(e, "mqtt.topic").endsWith("/x"))
                .forEach(e -> keys.add(e.keyAsString()));
        assertThat(keys).hasSize(10).contains("dev-0", "dev-9");
    }

    @Test
    void shouldPublishEventsToTopicsNamedByTheirFields() throws Exception {
        Map<String, List<String>> received = new ConcurrentHashMap<>();
        device.connect();
        device.toAsync()
                .publishes(
                        MqttGlobalPublishFilter.SUBSCRIBED,
                        (Mqtt5Publish p) -> received.computeIfAbsent(
                                        p.getTopic().toString(),
                                        t -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                .add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        device.subscribeWith()
                .topicFilter(root + "/customers/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        Map<String, Object> sink = new LinkedHashMap<>();
        sink.put("url", URL);
        sink.put("version", "5");
        sink.put("topic", root + "/customers/{customer}/orders");
        PipelineSpec spec = Pipeline.named("out")
                .topic("orders", 2)
                .source(
                        "gen",
                        "generator",
                        "orders",
                        Map.of(
                                "count",
                                300,
                                "key",
                                "customer",
                                "fields",
                                Map.of("id", "sequence", "customer", Map.of("one-of", List.of("c1", "c2", "c3")))))
                .sink("notify", "mqtt", sink, s -> s.from("orders").parallelism(2))
                .build();
        broker = EmbeddedBroker.open(dir.resolve("data"));
        try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
            assertThat(run.awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(run.failure()).isNull();
        }
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> received.values().stream().mapToInt(List::size).sum() >= 300);
        assertThat(received.keySet())
                .containsExactlyInAnyOrder(
                        root + "/customers/c1/orders", root + "/customers/c2/orders", root + "/customers/c3/orders");
        assertThat(received.get(root + "/customers/c2/orders"))
                .allMatch(v -> v.contains("\"customer\":\"c2\"") || v.contains("\"customer\": \"c2\""));
    }

    /**
     * Over MQTT 5 the source asks the broker for its receive maximum of unacknowledged messages: with stores that
     * never answer, Mosquitto sends all 100 messages, not the 20 it allows a client that asks for nothing.
     */
    @Test
    void shouldLetTheBrokerSendUpToTheReceiveMaximumBeforeAcknowledgements() throws Exception {
        String clientId = "sluice-window-" + System.nanoTime();
        MqttSource connector = new MqttSource();
        Map<String, Object> settings = Map.of(
                "url",
                URL,
                "version",
                5,
                "client-id",
                clientId,
                "topics",
                List.of(root + "/#"),
                "receive-maximum",
                100);
        MqttSource.Subscriber source = (MqttSource.Subscriber) connector.create(
                Config.check("source s", settings, connector.keys(), null),
                new ConnectorContext("p", "s", "t", dir, Clock.systemUTC(), 0, null));
        Set<String> arrived = ConcurrentHashMap.newKeySet();
        Source.Publisher neverStores = new Source.Publisher() {
            @Override
            public CompletableFuture<List<SendResult>> publish(List<Event> events) {
                events.forEach(e -> arrived.add(new String(e.value(), StandardCharsets.UTF_8)));
                return new CompletableFuture<>();
            }

            @Override
            public boolean isRunning() {
                return true;
            }
        };
        source.start(neverStores);
        try {
            device.connect();
            int[] probes = {0};
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        if (arrived.isEmpty()) { // each probe is kept unacknowledged: name them apart, and stop at the
                            // first
                            device.publishWith()
                                    .topic(root + "/probe")
                                    .qos(MqttQos.AT_LEAST_ONCE)
                                    .payload(("probe-" + probes[0]++).getBytes(StandardCharsets.UTF_8))
                                    .send();
                        }
                        return !arrived.isEmpty();
                    });
            Thread.sleep(1_000); // the probes sent before the first arrived come too
            for (int i = 0; i < 100 - probes[0]; i++) {
                device.publishWith()
                        .topic(root + "/d/reading")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                        .send();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> arrived.size() >= 100);
            assertThat(arrived).hasSize(100);
        } finally {
            source.close();
            Mqtt5BlockingClient session = MqttClient.builder()
                    .useMqttVersion5()
                    .identifier(clientId)
                    .serverHost("127.0.0.1")
                    .serverPort(1883)
                    .buildBlocking();
            session.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
            session.disconnect();
        }
    }

    @Test
    void shouldExplainBadSettings() {
        assertThatThrownBy(() -> validate(Map.of("url", "http://127.0.0.1:1883", "topics", List.of("a/#"))))
                .hasMessageContaining("must be tcp://host:port or ssl://host:port");
        assertThatThrownBy(() -> validate(Map.of("url", URL, "topics", List.of("a/#/b"))))
                .hasMessageContaining("invalid filter 'a/#/b'");
        assertThatThrownBy(() -> validate(Map.of("url", URL, "topics", List.of("a/b+"))))
                .hasMessageContaining("invalid filter 'a/b+'");
        assertThatThrownBy(() -> validate(Map.of("url", URL, "topics", List.of("a"), "qos", 2)))
                .hasMessageContaining("must be 0 or 1, got 2 (QoS 2 is not supported)");
        assertThatThrownBy(() -> validate(Map.of("url", URL, "topics", List.of("a"), "version", 4)))
                .hasMessageContaining("must be 3.1.1 or 5, got '4'");
        assertThatThrownBy(() -> validate(Map.of("url", URL, "topics", List.of("a"), "key-level", 1, "key-field", "d")))
                .hasMessageContaining("cannot be set with key-level");
        assertThatThrownBy(() -> validate(Map.of("url", URL, "topics", List.of("a"), "receive-maximum", 100)))
                .hasMessageContaining("needs MQTT 5 (version: 5)");
        assertThatThrownBy(() ->
                        validate(Map.of("url", URL, "topics", List.of("a"), "version", 5, "receive-maximum", 65_536)))
                .hasMessageContaining("must be a number of messages from 1 to 65535")
                .hasMessageContaining("got 65536");
    }

    private void validate(Map<String, Object> source) {
        PipelineSpec spec = Pipeline.named("bad")
                .topic("t", 1)
                .source("m", "mqtt", "t", source)
                .build();
        RuntimeOptions options = RuntimeOptions.defaults(dir);
        new PipelineValidator(options.connectors(), dir, options.clock()).validate(spec);
    }

    /** Publishes to {@code probe} until a message reaches the topic: the source has subscribed. */
    private void awaitSubscribed(String topic, String probe) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    device.publishWith()
                            .topic(probe)
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .payload("{\"probe\": true}".getBytes(StandardCharsets.UTF_8))
                            .send();
                    return !read(topic).isEmpty();
                });
    }

    private List<ConsumedEvent> read(String topic) {
        List<ConsumedEvent> out = new ArrayList<>();
        int partitions = broker.admin().describeTopic(topic).partitions().size();
        for (int p = 0; p < partitions; p++) {
            try (Consumer c = broker.consumer(ConsumerConfig.defaults())) {
                c.assign(List.of(new TopicPartition(topic, p)));
                for (List<ConsumedEvent> batch = c.poll(Duration.ofMillis(100));
                        !batch.isEmpty();
                        batch = c.poll(Duration.ofMillis(100))) {
                    out.addAll(batch);
                }
            }
        }
        return out;
    }

    private static String header(ConsumedEvent e, String name) {
        return e.headers().stream()
                .filter(h -> h.key().equals(name))
                .map(h -> h.valueAsString())
                .findFirst()
                .orElse("");
    }
}
