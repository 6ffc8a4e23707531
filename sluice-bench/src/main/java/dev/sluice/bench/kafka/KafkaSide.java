package dev.sluice.bench.kafka;

import dev.sluice.kafka.server.LocalKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Apache Kafka with kafka-clients: acks=1, 256 KiB batches, linger 5 ms (Kafka 4's default). */
final class KafkaSide implements Side {
    private final LocalKafka broker;
    private final Admin admin;

    KafkaSide(LocalKafka broker) {
        this.broker = broker;
        this.admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    @Override
    public String name() {
        return "Apache Kafka 4.4";
    }

    @Override
    public void createTopic(String topic, int partitions, boolean fsyncEveryWrite) throws Exception {
        NewTopic t = new NewTopic(topic, partitions, (short) 1);
        if (fsyncEveryWrite) {
            t.configs(Map.of("flush.messages", "1"));
        }
        admin.createTopics(List.of(t)).all().get();
    }

    private Properties producerProps(int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private KafkaConsumer<byte[], byte[]> consumer(String topic, int partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p);
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            tps.add(new TopicPartition(topic, i));
        }
        c.assign(tps);
        c.seekToBeginning(tps);
        return c;
    }

    @Override
    public double produce(String topic, long records, int valueSize) {
        byte[] value = new byte[valueSize];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(5))) {
            long start = System.nanoTime();
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, value));
            }
            producer.flush();
            return records / ((System.nanoTime() - start) / 1e9);
        }
    }

    @Override
    public double consume(String topic, int partitions, long records) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(topic, partitions)) {
            long start = System.nanoTime();
            long read = 0;
            while (read < records) {
                read += c.poll(Duration.ofSeconds(1)).count();
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
                    final KafkaConsumer<byte[], byte[]> c = consumer(topic, partitions);

                    @Override
                    public List<byte[]> poll() {
                        List<byte[]> values = new ArrayList<>();
                        c.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                        return values;
                    }

                    @Override
                    public void close() {
                        c.close();
                    }
                },
                () -> new EndToEnd.Writer() {
                    final KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerProps(0));

                    @Override
                    public void send(byte[] value) {
                        p.send(new ProducerRecord<>(topic, value));
                    }

                    @Override
                    public void close() {
                        p.close();
                    }
                });
    }

    @Override
    public void close() {
        admin.close();
    }
}
