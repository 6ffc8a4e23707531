package dev.sluice.broker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.TopicPartition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a producing child JVM with SIGKILL at random moments, 25 times, and checks after each kill that every
 * acknowledged event is stored at its acknowledged offset, byte for byte and in order, and that nothing corrupt is ever
 * returned.
 */
class CrashSafetyIT {
    private static final int ROUNDS = 25;

    @TempDir
    Path dataDir;

    record Ack(int partition, long offset) {}

    @Test
    void shouldKeepEveryAcknowledgedEventAcrossSigkills() throws Exception {
        Random random = new Random(42);
        Map<Long, Ack> acked = new HashMap<>();
        long droppedBytesSeen = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long firstSeq = round * 10_000_000L;
            Map<Long, Ack> roundAcks = runAndKill(firstSeq, 150 + random.nextInt(900));
            assertThat(roundAcks).as("round %d acknowledged something", round).isNotEmpty();
            acked.putAll(roundAcks);
            droppedBytesSeen += verify(acked);
        }
        assertThat(acked.size()).isGreaterThan(ROUNDS * 100);
        System.out.printf(
                "%d acknowledged events verified over %d kills; recovery dropped %d unacknowledged bytes%n",
                acked.size(), ROUNDS, droppedBytesSeen);
    }

    private Map<Long, Ack> runAndKill(long firstSeq, long runMillis) throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashWriter.class.getName(),
                        dataDir.toString(),
                        Long.toString(firstSeq))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<Long, Ack> acks = new ConcurrentHashMap<>();
        Object ready = new Object();
        boolean[] isReady = {false};
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.equals("READY")) {
                        synchronized (ready) {
                            isReady[0] = true;
                            ready.notifyAll();
                        }
                    } else if (line.startsWith("ACK ")) {
                        String[] p = line.split(" ");
                        acks.put(Long.parseLong(p[1]), new Ack(Integer.parseInt(p[2]), Long.parseLong(p[3])));
                    }
                }
            } catch (IOException e) {
                // the child died mid-line: lines already read are what it acknowledged
            }
        });
        reader.start();
        synchronized (ready) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (!isReady[0] && System.currentTimeMillis() < deadline) {
                ready.wait(1000);
            }
        }
        assertThat(isReady[0]).as("child started").isTrue();
        // the kill comes at a random moment after the first acknowledgement, however slowly a busy machine starts it
        long deadline = System.currentTimeMillis() + 30_000;
        while (acks.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(runMillis);
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        return new HashMap<>(acks);
    }

    /** Reopens (and so recovers) the log, reads everything back, and checks it; returns bytes recovery dropped. */
    private long verify(Map<Long, Ack> acked) {
        try (EmbeddedBroker broker = EmbeddedBroker.open(dataDir)) {
            long dropped = broker.recoveryReport().droppedBytes();
            Map<TopicPartition, Map<Long, ConsumedEvent>> stored = new HashMap<>();
            try (Consumer consumer = broker.consumer(ConsumerConfig.defaults().withMaxPollEvents(5000))) {
                List<TopicPartition> tps = new ArrayList<>();
                for (int p = 0; p < 3; p++) {
                    tps.add(new TopicPartition(CrashWriter.TOPIC, p));
                }
                consumer.assign(tps);
                Map<TopicPartition, Long> ends = broker.admin().endOffsets(tps);
                long total = ends.values().stream().mapToLong(Long::longValue).sum();
                long read = 0;
                while (read < total) {
                    List<ConsumedEvent> events = consumer.poll(Duration.ofSeconds(5)); // CRCs are checked here
                    assertThat(events).as("log readable to its end").isNotEmpty();
                    for (ConsumedEvent e : events) {
                        long seq = Long.parseLong(e.headers().get(0).valueAsString());
                        // every stored event is intact, acknowledged or not
                        assertThat(e.value()).isEqualTo(CrashWriter.value(seq));
                        assertThat(e.key()).isEqualTo(CrashWriter.key(seq));
                        stored.computeIfAbsent(e.topicPartition(), k -> new HashMap<>())
                                .put(e.offset(), e);
                    }
                    read += events.size();
                }
                // per partition, sequence numbers of one writer only grow with the offset
                for (Map<Long, ConsumedEvent> partition : stored.values()) {
                    long previous = -1;
                    for (long offset = 0; offset < partition.size(); offset++) {
                        long seq = Long.parseLong(
                                partition.get(offset).headers().get(0).valueAsString());
                        assertThat(seq / 10_000_000L >= previous / 10_000_000L).isTrue();
                        if (seq / 10_000_000L == previous / 10_000_000L) {
                            assertThat(seq).isGreaterThan(previous);
                        }
                        previous = seq;
                    }
                }
            }
            acked.forEach((seq, ack) -> {
                ConsumedEvent e = stored.getOrDefault(new TopicPartition(CrashWriter.TOPIC, ack.partition()), Map.of())
                        .get(ack.offset());
                assertThat(e).as("acknowledged event %d at %s", seq, ack).isNotNull();
                assertThat(Long.parseLong(e.headers().get(0).valueAsString())).isEqualTo(seq);
            });
            return dropped;
        }
    }
}
