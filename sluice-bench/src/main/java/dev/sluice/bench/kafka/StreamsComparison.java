package dev.sluice.bench.kafka;

import dev.sluice.bench.TempDirs;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.kafka.server.LocalKafka;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineSpec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;

/**
 * The pipeline benchmark (generator -> topic -> parse JSON -> filter -> map -> JSON-lines file) as a Kafka Streams
 * application on Apache Kafka 4.4, and as a Sluice pipeline on the embedded broker, on this machine. Both start from
 * the same generated events and write JSON with the same writer; the Kafka Streams side parses with Jackson's data
 * binding, as such an application would, and Sluice with its own lazy reader. The rate is events from the first one
 * published to the last one written.
 */
public final class StreamsComparison {
    private static final Map<String, Object> FIELDS = BenchEvents.FIELDS;

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        int partitions = 2;
        System.out.printf(
                "Kafka Streams 4.4 on Apache Kafka 4.4 vs Sluice, %s: %,d events, %d partitions%n",
                LocalDate.now(), events, partitions);
        sluice(events / 4, partitions); // warm-up: both sides run once before they are measured
        double sluice = sluice(events, partitions);
        System.out.printf("Sluice (embedded broker): %,.0f events/s%n", sluice);
        kafkaStreams(events / 4, partitions);
        double streams = kafkaStreams(events, partitions);
        System.out.printf("Kafka Streams (Apache Kafka broker): %,.0f events/s%n", streams);
        System.out.printf("Sluice is %.1fx as fast%n", sluice / streams);
    }

    static double sluice(long events, int partitions) throws Exception {
        Path dir = TempDirs.create("sluice-vs-streams");
        try {
            PipelineSpec spec = Pipeline.named("bench")
                    .topic("raw", partitions, Map.of("flush.policy", "os"))
                    .source("gen", "generator", "raw", Map.of("count", events, "fields", FIELDS))
                    .sink(
                            "out",
                            "file",
                            Map.of("path", "out"),
                            s -> s.from("raw")
                                    .parse("json")
                                    .filter("event.agent != 'bot'")
                                    .map(Map.of("cents", "event.amount * 100")))
                    .build();
            try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"))) {
                long start = System.nanoTime();
                try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
                    if (!run.awaitIdle(Duration.ofMinutes(10))) {
                        throw new IllegalStateException("Sluice did not finish: " + run.failure());
                    }
                }
                return events / ((System.nanoTime() - start) / 1e9);
            }
        } finally {
            TempDirs.delete(dir);
        }
    }

    static double kafkaStreams(long events, int partitions) throws Exception {
        Path dir = TempDirs.create("streams-out");
        try (LocalKafka broker = LocalKafka.startForBenchmarks("1g");
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("raw", partitions, (short) 1)))
                    .all()
                    .get();
            AtomicLong written = new AtomicLong();
            Map<Thread, OutputStream> files = new ConcurrentHashMap<>();
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("raw", Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                    .mapValues(BenchEvents::jackson)
                    .filter((k, event) -> !"bot".equals(event.get("agent")))
                    .mapValues(event -> {
                        event.put("cents", ((Number) event.get("amount")).doubleValue() * 100);
                        return event;
                    })
                    .foreach((k, event) -> {
                        OutputStream out = files.computeIfAbsent(Thread.currentThread(), t -> open(dir, t));
                        try {
                            out.write(Json.write(event));
                            out.write('\n');
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        written.incrementAndGet();
                    });
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + System.nanoTime());
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, partitions);
            props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
            props.put(StreamsConfig.consumerPrefix("max.poll.records"), 2000);
            long expected = BenchEvents.humans(events);
            try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
                streams.start();
                while (streams.state() != KafkaStreams.State.RUNNING) {
                    Thread.sleep(50);
                }
                long start = System.nanoTime();
                produce(broker, events);
                while (written.get() < expected) {
                    Thread.sleep(5);
                }
                double rate = events / ((System.nanoTime() - start) / 1e9);
                for (OutputStream out : files.values()) {
                    out.close();
                }
                return rate;
            }
        } finally {
            TempDirs.delete(dir);
        }
    }

    private static OutputStream open(Path dir, Thread t) {
        try {
            return new BufferedOutputStream(Files.newOutputStream(dir.resolve("out-" + t.getId() + ".jsonl")), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes the generated events with a producer tuned like Sluice's (256 KiB batches, acks=1). */
    private static void produce(LocalKafka broker, long count) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            BenchEvents.generate(count, e -> producer.send(new ProducerRecord<>("raw", e.key(), e.value())));
            producer.flush();
        }
    }
}
