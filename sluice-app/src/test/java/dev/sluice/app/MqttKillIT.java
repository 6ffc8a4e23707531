package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MQTT source at QoS 1 in a {@code sluice run} process killed with SIGKILL three times while devices publish to the
 * local Mosquitto: after a last run, every message is in the topic (a message stored just before a kill may be there
 * twice, which at-least-once allows).
 */
@ExtendWith(CpuHog.Beside.class)
class MqttKillIT {
    /**
     * Fewer than Mosquitto's default {@code max_queued_messages} (1,000): it drops what comes past that for a session
     * that is away, so with more, how many are lost would depend on how fast a killed process is back.
     */
    private static final int MESSAGES = 900;

    @TempDir
    Path dir;

    private final String clientId = "sluice-kill-" + System.nanoTime();
    private final String root = "sluice-kill/" + System.nanoTime();

    @AfterEach
    void endSession() {
        // the broker would keep the session for a week: end it
        Mqtt5BlockingClient c = client(clientId);
        c.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
        c.disconnect();
    }

    @Test
    void shouldStoreEveryMessageAcrossKills() throws Exception {
        Path file = dir.resolve("mqtt.yaml");
        Files.writeString(file, """
                pipeline: iot
                broker: embedded:data
                topics:
                  readings: {partitions: 1, flush.policy: always}
                sources:
                  - name: devices
                    type: mqtt
                    url: tcp://127.0.0.1:1883
                    version: 5
                    client-id: %s
                    topics: [%s/+/reading]
                    key-level: 2
                    to: readings
                """.formatted(clientId, root));
        // the session exists before the first run, as after any earlier run: the broker keeps what comes meanwhile
        Mqtt5BlockingClient session = client(clientId);
        session.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        session.subscribeWith()
                .topicFilter(root + "/+/reading")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        session.disconnect();

        Mqtt5BlockingClient devices = client("devices-" + System.nanoTime());
        devices.connect();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < MESSAGES; i++) {
                devices.publishWith()
                        .topic(root + "/d" + (i % 5) + "/reading")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8))
                        .send();
                if (i % 20 == 19) {
                    sleep(100); // about 200 a second, for about 5 s
                }
            }
        });
        Random random = new Random(3);
        for (int kill = 0; kill < 3; kill++) {
            Process p =
                    SluiceProcess.start(dir, dir.resolve("run-" + kill + ".log"), "run", file.toString(), "--quiet");
            Thread.sleep(1_500 + random.nextInt(1_500));
            SluiceProcess.kill(p); // SIGKILL, with messages in flight
        }
        Process last = SluiceProcess.start(dir, dir.resolve("last.log"), "run", file.toString(), "--quiet");
        publishing.get(2, TimeUnit.MINUTES);
        devices.disconnect();
        Map<Long, Integer> seen = Map.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        do {
            Thread.sleep(2_000);
            SluiceProcess.stop(last); // SIGTERM: stops cleanly, releasing the data directory to look into
            seen = stored();
            if (seen.size() < MESSAGES) {
                last = SluiceProcess.start(dir, dir.resolve("last.log"), "run", file.toString(), "--quiet");
            }
        } while (seen.size() < MESSAGES && System.nanoTime() < deadline);
        assertThat(seen)
                .as("messages stored, of " + MESSAGES + "; logs in " + dir)
                .hasSize(MESSAGES);
        long twice = seen.values().stream().filter(n -> n > 1).count();
        assertThat(twice).as("stored twice (only those in flight at a kill)").isLessThan(MESSAGES / 10);
    }

    /** Each message's n, with how often the topic holds it. */
    private Map<Long, Integer> stored() {
        Map<Long, Integer> seen = new HashMap<>();
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"));
                Consumer c = broker.consumer(ConsumerConfig.defaults())) {
            c.assign(List.of(new TopicPartition("readings", 0)));
            for (List<ConsumedEvent> batch = c.poll(Duration.ofMillis(500));
                    !batch.isEmpty();
                    batch = c.poll(Duration.ofMillis(200))) {
                for (ConsumedEvent e : batch) {
                    seen.merge(((Number) Json.parseObject(e.value()).get("n")).longValue(), 1, Integer::sum);
                }
            }
        }
        return seen;
    }

    private static Mqtt5BlockingClient client(String id) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(1883)
                .buildBlocking();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
