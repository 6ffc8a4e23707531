package dev.sluice.bench.kafka;

import dev.sluice.bench.TempDirs;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Sluice's embedded broker through its Producer and Consumer API, in this process, with default settings. */
final class SluiceSide implements Side {
    private final Path dir;
    private final EmbeddedBroker broker;

    SluiceSide() throws Exception {
        this.dir = TempDirs.create("sluice-vs-kafka");
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
        return EndToEnd.measure(
                rate,
                seconds,
                valueSize,
                () -> new EndToEnd.Reader() {
                    final Consumer c = consumer(topic, partitions);

                    @Override
                    public List<byte[]> poll() {
                        return c.poll(Duration.ofMillis(500)).stream()
                                .map(ConsumedEvent::value)
                                .toList();
                    }

                    @Override
                    public void close() {
                        c.close();
                    }
                },
                () -> new EndToEnd.Writer() {
                    final Producer p = broker.producer();

                    @Override
                    public void send(byte[] value) {
                        p.send(topic, new Event(null, value, List.of(), System.currentTimeMillis()));
                    }

                    @Override
                    public void close() {
                        p.close();
                    }
                });
    }

    @Override
    public void close() throws Exception {
        broker.close();
        TempDirs.delete(dir);
    }
}
