package dev.sluice.connect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.Event;
import dev.sluice.broker.SendResult;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * While storing fails (the Sluice broker is away), the MQTT source keeps every message and stores them, once it can
 * again, in the order they came, acknowledging each only once stored.
 */
class MqttSourceRetryTest {
    @Test
    void shouldStoreInArrivalOrderAfterAStorageOutage() throws Exception {
        MqttSource connector = new MqttSource();
        Config config = Config.check(
                "source s", Map.of("url", "tcp://127.0.0.1:1883", "topics", List.of("a/#")), connector.keys(), null);
        MqttSource.Subscriber source = (MqttSource.Subscriber)
                connector.create(config, new ConnectorContext("p", "s", "t", Path.of("."), Clock.systemUTC(), 0, null));
        java.util.concurrent.ScheduledExecutorService broker =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        AtomicBoolean down = new AtomicBoolean(true);
        List<String> stored = new CopyOnWriteArrayList<>();
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        Source.Publisher publisher = new Source.Publisher() {
            @Override
            public CompletableFuture<List<SendResult>> publish(List<Event> events) {
                // completes on another thread a little later, in the order sent, as the broker does for a partition
                return CompletableFuture.supplyAsync(
                        () -> {
                            if (down.get()) {
                                throw new IllegalStateException("broker away");
                            }
                            events.forEach(e -> stored.add(new String(e.value(), StandardCharsets.UTF_8)));
                            return List.of();
                        },
                        r -> broker.schedule(r, 1, TimeUnit.MILLISECONDS));
            }

            @Override
            public boolean isRunning() {
                return true;
            }
        };
        for (int i = 0; i < 30; i++) {
            String payload = "m" + i;
            source.arrived(publisher, message(payload, () -> acknowledged.add(payload)));
            Thread.sleep(i == 10 ? 300 : 5); // an outage of a few retries
        }
        down.set(false);
        for (int i = 30; i < 40; i++) {
            String payload = "m" + i;
            source.arrived(publisher, message(payload, () -> acknowledged.add(payload)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> stored.size() >= 40);
        List<String> expected =
                java.util.stream.IntStream.range(0, 40).mapToObj(i -> "m" + i).toList();
        assertThat(stored).containsExactlyElementsOf(expected);
        await().atMost(Duration.ofSeconds(5)).until(() -> acknowledged.size() >= 40);
        assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(expected);
        broker.shutdown();
    }

    @Test
    void shouldPutAStoreThatFailsLateBackInItsPlace() throws Exception {
        MqttSource.Subscriber source = subscriber();
        List<CompletableFuture<List<SendResult>>> answers = new CopyOnWriteArrayList<>();
        List<String> stored = new CopyOnWriteArrayList<>();
        AtomicBoolean answerAtOnce = new AtomicBoolean(false);
        Source.Publisher publisher = new Source.Publisher() {
            @Override
            public CompletableFuture<List<SendResult>> publish(List<Event> events) {
                if (answerAtOnce.get()) {
                    events.forEach(e -> stored.add(new String(e.value(), StandardCharsets.UTF_8)));
                    return CompletableFuture.completedFuture(List.of());
                }
                CompletableFuture<List<SendResult>> answer = new CompletableFuture<>();
                answers.add(answer);
                return answer;
            }

            @Override
            public boolean isRunning() {
                return true;
            }
        };
        source.arrived(publisher, message("m0", () -> {}));
        source.arrived(publisher, message("m1", () -> {})); // sent before m0's failure is known
        answers.get(0).completeExceptionally(new IllegalStateException("broker away"));
        source.arrived(publisher, message("m2", () -> {})); // queued behind m0
        answerAtOnce.set(true);
        answers.get(1).completeExceptionally(new IllegalStateException("broker away")); // m1 fails late
        await().atMost(Duration.ofSeconds(10)).until(() -> stored.size() >= 3);
        assertThat(stored).containsExactly("m0", "m1", "m2");
    }

    private static MqttSource.Subscriber subscriber() {
        MqttSource connector = new MqttSource();
        Config config = Config.check(
                "source s", Map.of("url", "tcp://127.0.0.1:1883", "topics", List.of("a/#")), connector.keys(), null);
        return (MqttSource.Subscriber)
                connector.create(config, new ConnectorContext("p", "s", "t", Path.of("."), Clock.systemUTC(), 0, null));
    }

    private static MqttMessage message(String payload, Runnable acknowledge) {
        return new MqttMessage("a/b", payload.getBytes(StandardCharsets.UTF_8), 1, false, List.of(), acknowledge);
    }
}
