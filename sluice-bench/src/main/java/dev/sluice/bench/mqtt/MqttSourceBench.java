package dev.sluice.bench.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.sluice.bench.TempDirs;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT source against the local Mosquitto (127.0.0.1:1883): a publisher sends QoS 1 messages as fast as the broker
 * takes them, and the source stores them in a Sluice topic of the embedded broker, acknowledging each to Mosquitto
 * only once stored. Measured: messages stored per second, from the first publish to the last message stored.
 *
 * <p>Run: {@code sluice-bench/run.sh mqtt-source [MESSAGES [VERSION [ROUNDS]]]} (version 3.1.1 or 5)
 */
public final class MqttSourceBench {
    /** How far the publisher may run ahead of the source: under Mosquitto's default queue of 1,000 per client. */
    private static final int LEAD = 500;
    /**
     * Over MQTT 5 the source lets Mosquitto send up to 10,000 messages ahead of their acknowledgements (its receive
     * maximum), which Mosquitto holds as in flight rather than queued: the publisher may run further ahead.
     */
    private static final int LEAD_5 = 5_000;

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        String version = args.length > 1 ? args[1] : "3.1.1";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        boolean tuned = args.length > 3 && args[3].equals("tuned");
        System.out.printf(
                "MQTT source, %,d QoS 1 messages of ~100 bytes from %s, MQTT %s%n",
                messages,
                tuned ? "a private Mosquitto with no in-flight or queue limit" : "the local Mosquitto (defaults)",
                version);
        try (PrivateMosquitto mosquitto = tuned ? PrivateMosquitto.start() : null) {
            int port = mosquitto == null ? 1883 : mosquitto.port();
            for (int round = 1; round <= rounds; round++) {
                Path dir = TempDirs.create("mqtt-bench");
                try {
                    run(
                            dir,
                            port,
                            messages,
                            version,
                            round,
                            tuned ? Integer.MAX_VALUE : version.equals("5") ? LEAD_5 : LEAD);
                } finally {
                    TempDirs.delete(dir);
                }
            }
        }
        System.exit(0); // the HiveMQ client's event loop threads are not daemons
    }

    private static void run(Path dir, int port, int messages, String version, int round, int lead) throws Exception {
        String root = "sluice-bench/" + System.nanoTime();
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("url", "tcp://127.0.0.1:" + port);
        source.put("version", version);
        source.put("client-id", "sluice-bench-" + System.nanoTime());
        source.put("topics", List.of(root + "/#"));
        source.put("key-level", 2);
        PipelineSpec spec = Pipeline.named("mqtt-bench")
                .topic("readings", 2)
                .source("sensors", "mqtt", "readings", source)
                .build();
        Mqtt5AsyncClient device = MqttClient.builder()
                .useMqttVersion5()
                .identifier("sluice-bench-device-" + System.nanoTime())
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildAsync();
        device.connect().get(10, TimeUnit.SECONDS);
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"));
                PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
            while (stored(broker) == 0) { // the source has subscribed
                device.publishWith()
                        .topic(root + "/probe")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload("{}".getBytes(StandardCharsets.UTF_8))
                        .send()
                        .get();
                Thread.sleep(100);
            }
            Thread.sleep(500);
            long before = stored(broker);
            Semaphore inFlight = new Semaphore(1_000);
            long start = System.nanoTime();
            CompletableFuture<?> last = null;
            for (int i = 0; i < messages; i++) {
                // Mosquitto drops QoS 1 messages for a subscriber beyond max_queued_messages (1000 by default), so the
                // publisher stays at most LEAD messages ahead of what the source has stored
                while (i % 10 == 0 && i - (stored(broker) - before) > lead) {
                    Thread.sleep(1);
                }
                inFlight.acquire();
                byte[] payload = ("{\"device\":\"d" + (i % 1000) + "\",\"n\":" + i
                                + ",\"celsius\":21.5,\"humidity\":0.43,\"at\":1795611600000}")
                        .getBytes(StandardCharsets.UTF_8);
                last = device.publishWith()
                        .topic(root + "/d" + (i % 1000) + "/reading")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload)
                        .send()
                        .whenComplete((r, e) -> inFlight.release());
            }
            last.get(60, TimeUnit.SECONDS);
            double published = (System.nanoTime() - start) / 1e9;
            // until all are stored, or none more for 5 s (Mosquitto dropped some: its log says so)
            long got = stored(broker) - before;
            long lastGain = System.nanoTime();
            while (got < messages && System.nanoTime() - lastGain < TimeUnit.SECONDS.toNanos(5)) {
                Thread.sleep(2);
                long now = stored(broker) - before;
                if (now > got) {
                    got = now;
                    lastGain = System.nanoTime();
                }
            }
            double seconds = (lastGain - start) / 1e9;
            System.out.printf(
                    "  round %d: %,10.0f messages/s stored (%,d of %,d in %.2f s%s; the publisher was done after %.2f"
                            + " s)%n",
                    round,
                    got / seconds,
                    got,
                    messages,
                    seconds,
                    got < messages ? ", the rest dropped by Mosquitto" : "",
                    published);
        } finally {
            device.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    private static long stored(EmbeddedBroker broker) {
        return broker
                .admin()
                .endOffsets(List.of(new TopicPartition("readings", 0), new TopicPartition("readings", 1)))
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .sum();
    }
}
