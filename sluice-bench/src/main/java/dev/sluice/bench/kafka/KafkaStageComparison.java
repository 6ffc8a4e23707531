package dev.sluice.bench.kafka;

import dev.sluice.bench.TempDirs;
import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.kafka.server.LocalKafka;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * One stage on Apache Kafka 4.4 (consume, parse JSON, drop the bots, produce) three ways, on one broker on this
 * machine: as a Sluice stage ({@code kafka://}), as a hand-written kafka-clients consume-transform-produce loop, and as
 * a Kafka Streams application. All read the same pre-loaded topic (2 partitions) with two consumers, at least once,
 * with the same producer settings (256 KiB batches, linger 5 ms, acks=all, idempotent); the hand-written loop and
 * Kafka Streams parse with Jackson's data binding. The rate is input events from start (group join included) until
 * the last result is in the output topic. Each contender runs once to warm up, then is measured.
 */
public final class KafkaStageComparison {
    private static final int PARTITIONS = 2;

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String only = args.length > 2 ? args[2] : "all";
        System.out.printf(
                "One stage on Apache Kafka 4.4 (consume, parse JSON, filter, produce), %s: %,d events, %d partitions%n",
                LocalDate.now(), events, PARTITIONS);
        try (LocalKafka kafka = LocalKafka.startForBenchmarks("1g");
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("in", PARTITIONS, (short) 1)))
                    .all()
                    .get();
            load(kafka, events);
            long expected = BenchEvents.humans(events);
            System.out.printf("loaded; %,d of them pass the filter%n", expected);
            for (int round = 0; round <= rounds; round++) {
                String label = round == 0 ? "warm-up" : "run " + round;
                double sluice = only.equals("all") || only.equals("sluice")
                        ? sluice(kafka, admin, "sluice-" + round, expected, events)
                        : Double.NaN;
                double loop = only.equals("all") || only.equals("loop")
                        ? handWritten(kafka, admin, "loop-" + round, expected, events)
                        : Double.NaN;
                double streams = only.equals("all") || only.equals("streams")
                        ? kafkaStreams(kafka, admin, "streams-" + round, expected, events)
                        : Double.NaN;
                System.out.printf(
                        "%-8s Sluice %,.0f/s  hand-written %,.0f/s  Kafka Streams %,.0f/s  (Sluice/loop %.2f,"
                                + " Sluice/Streams %.2f)%n",
                        label, sluice, loop, streams, sluice / loop, sluice / streams);
            }
        }
    }

    private static double sluice(LocalKafka kafka, Admin admin, String out, long expected, long events)
            throws Exception {
        createTopic(admin, out);
        Path dir = TempDirs.create("sluice-stage");
        try (Broker broker = Brokers.open(kafka.url(), Map.of("producer.linger.ms", "5"))) {
            var spec = Pipeline.named(out)
                    .existingTopic("in")
                    .existingTopic(out)
                    .stage(
                            "filter",
                            s -> s.from("in")
                                    .parse("json")
                                    .filter("event.agent != 'bot'")
                                    .to(out))
                    .build();
            long start = System.nanoTime();
            try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
                awaitOutput(admin, out, expected);
                return events / ((System.nanoTime() - start) / 1e9);
            }
        } finally {
            TempDirs.delete(dir);
        }
    }

    /** The loop a Kafka user writes by hand: poll, transform, send, flush, commit. One consumer per thread. */
    private static double handWritten(LocalKafka kafka, Admin admin, String out, long expected, long events)
            throws Exception {
        createTopic(admin, out);
        AtomicBoolean running = new AtomicBoolean(true);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(kafka))) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < PARTITIONS; t++) {
                Thread thread = new Thread(() -> {
                    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(kafka, out))) {
                        consumer.subscribe(List.of("in"));
                        while (running.get()) {
                            var records = consumer.poll(Duration.ofMillis(200));
                            for (ConsumerRecord<byte[], byte[]> r : records) {
                                if (!"bot".equals(BenchEvents.jackson(r.value()).get("agent"))) {
                                    producer.send(new ProducerRecord<>(out, r.key(), r.value()));
                                }
                            }
                            if (!records.isEmpty()) {
                                producer.flush();
                                consumer.commitSync();
                            }
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            awaitOutput(admin, out, expected);
            double rate = events / ((System.nanoTime() - start) / 1e9);
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
            return rate;
        }
    }

    private static double kafkaStreams(LocalKafka kafka, Admin admin, String out, long expected, long events)
            throws Exception {
        createTopic(admin, out);
        Path dir = TempDirs.create("streams-stage");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .filter((k, v) -> !"bot".equals(BenchEvents.jackson(v).get("agent")))
                .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, out);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, PARTITIONS);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        props.put(StreamsConfig.consumerPrefix("max.poll.records"), 2000);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        props.put(StreamsConfig.producerPrefix("linger.ms"), 5);
        props.put(StreamsConfig.producerPrefix("batch.size"), 262_144);
        props.put(StreamsConfig.producerPrefix("acks"), "all");
        long start = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            awaitOutput(admin, out, expected);
            return events / ((System.nanoTime() - start) / 1e9);
        } finally {
            TempDirs.delete(dir);
        }
    }

    private static void load(LocalKafka kafka, long events) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(kafka))) {
            BenchEvents.generate(events, e -> producer.send(new ProducerRecord<>("in", e.key(), e.value())));
            producer.flush();
        }
    }

    private static Properties producerProps(LocalKafka kafka) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("batch.size", 262_144);
        p.put("linger.ms", 5);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        return p;
    }

    private static Properties consumerProps(LocalKafka kafka, String group) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("group.id", group);
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("max.poll.records", 2000);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return p;
    }

    private static void createTopic(Admin admin, String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
                .all()
                .get();
    }

    /** Waits until the output topic holds {@code expected} events. */
    private static void awaitOutput(Admin admin, String topic, long expected) throws Exception {
        Map<TopicPartition, OffsetSpec> query = new java.util.HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            query.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            long total = admin.listOffsets(query).all().get().values().stream()
                    .mapToLong(i -> i.offset())
                    .sum();
            if (total >= expected) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(topic + " did not receive " + expected + " events in 10 minutes");
    }
}
