package dev.sluice.bench.jmh;

import dev.sluice.bench.TempDirs;
import dev.sluice.broker.Event;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.broker.embedded.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Producer API of the embedded broker: each operation sends 10,000 key-less 100-byte events and waits for all their
 * acknowledgements. {@code producers} threads each own a producer. With {@code flush=os} (1 thread) the target is 3
 * million events/s; with {@code flush=always} and 8 producers (group commit) it is 1 million events/s. Score: events
 * per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ProducerBenchmark {
    static final int EVENTS = 10_000;

    @Param({"os", "always"})
    public String flush;

    private Path dir;
    private EmbeddedBroker broker;

    @Setup(Level.Iteration)
    public void open() {
        dir = TempDirs.create("sluice-jmh");
        broker = EmbeddedBroker.open(dir);
        broker.admin().createTopic(new NewTopic("t", 4, Map.of("flush.policy", flush)));
    }

    @TearDown(Level.Iteration)
    public void close() {
        broker.close();
        TempDirs.delete(dir);
    }

    @State(Scope.Thread)
    public static class ThreadProducer {
        Producer producer;

        @Setup(Level.Iteration)
        public void open(ProducerBenchmark b) {
            producer = b.broker.producer();
        }

        @TearDown(Level.Iteration)
        public void close() {
            producer.close();
        }
    }

    private final byte[] value = new byte[100];

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    @Threads(1)
    public void oneProducer(ThreadProducer p) {
        send(p.producer);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    @Threads(8)
    public void eightProducers(ThreadProducer p) {
        send(p.producer);
    }

    private void send(Producer producer) {
        for (int i = 0; i < EVENTS; i++) {
            producer.send("t", new Event(null, value, List.of(), i));
        }
        producer.flush();
    }
}
