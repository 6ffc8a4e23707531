package dev.sluice.bench.kafka;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/** Sluice's embedded broker through its Producer and Consumer API, in this process, with default settings. */
final class SluiceSide implements Side {
    private final Path dir;
    private final EmbeddedBroker broker;

    SluiceSide() throws Exception {
        this.dir = Files.createTempDirectory("sluice-vs-kafka");
        this.broker = EmbeddedBroker.open(dir);
    }

    @Override
    public String name() {
        return "Sluice embedded";
    }

    @Override
    public void createTopic(String topic, int partitions, boolean fsyncEveryWrite) {
        broker.admin()
                .createTopic(
                        new NewTopic(topic, partitions, Map.of("flush.policy", fsyncEveryWrite ? "always" : "os")));
    }

    @Override
    public double produce(String topic, long records, int valueSize) {
        byte[] value = new byte[valueSize];
        try (Producer producer = broker.producer()) {
            long start = System.nanoTime();
            for (long i = 0; i < records; i++) {
                producer.send(topic, new Event(null, value, List.of(), System.currentTimeMillis()));
            }
            producer.flush();
            return records / ((System.nanoTime() - start) / 1e9);
        }
    }

    private Consumer consumer(String topic, int partitions) {
        Consumer c = broker.consumer(ConsumerConfig.defaults().withMaxPollEvents(10_000));
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            tps.add(new TopicPartition(topic, i));
        }
        c.assign(tps);
        return c;
    }

    @Override
    public double consume(String topic, int partitions, long records) {
        try (Consumer c = consumer(topic, partitions)) {
            long start = System.nanoTime();
            long read = 0;
            while (read < records) {
                read += c.poll(Duration.ofSeconds(1)).size();
            }
            return read / ((System.nanoTime() - start) / 1e9);
        }
    }

    @Override
    public Histogram endToEnd(String topic, int partitions, int rate, int seconds, int valueSize) throws Exception {
        Histogram h = new Histogram(3);
        long total = (long) rate * seconds;
        long warmup = Math.min(total / 5, rate);
        Thread reader = new Thread(() -> {
            try (Consumer c = consumer(topic, partitions)) {
                long seen = 0;
                while (seen < total) {
                    for (ConsumedEvent e : c.poll(Duration.ofMillis(500))) {
                        long now = System.nanoTime();
                        if (seen++ >= warmup) {
                            h.recordValue(
                                    Math.max(0, now - ByteBuffer.wrap(e.value()).getLong()));
                        }
                    }
                }
            }
        });
        reader.start();
        Thread.sleep(1000);
        try (Producer producer = broker.producer()) {
            KafkaSide.pace(rate, total, () -> {
                byte[] v = new byte[Math.max(8, valueSize)];
                ByteBuffer.wrap(v).putLong(System.nanoTime());
                producer.send(topic, new Event(null, v, List.of(), System.currentTimeMillis()));
            });
        }
        reader.join();
        return h;
    }

    @Override
    public void close() throws Exception {
        broker.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
