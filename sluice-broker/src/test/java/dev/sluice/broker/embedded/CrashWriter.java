package dev.sluice.broker.embedded;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link CrashSafetyIT}: produces deterministic events as fast as it can into a topic with
 * {@code flush.policy=always} and prints {@code ACK <seq> <partition> <offset>} for each acknowledged one, until it is
 * killed.
 */
public final class CrashWriter {
    static final String TOPIC = "crash";

    public static void main(String[] args) throws Exception {
        String dataDir = args[0];
        long firstSeq = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(
                new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.US_ASCII);
        try (Broker broker = Brokers.open("embedded:" + dataDir)) {
            broker.admin()
                    .createTopicIfMissing(
                            new NewTopic(TOPIC, 3, Map.of("flush.policy", "always", "segment.bytes", "1MiB")));
            Producer producer = broker.producer();
            Semaphore inFlight = new Semaphore(2_000);
            out.println("READY");
            out.flush();
            for (long seq = firstSeq; ; seq++) {
                inFlight.acquire();
                long s = seq;
                producer.send(TOPIC, event(s)).whenComplete((r, e) -> {
                    inFlight.release();
                    if (e == null) {
                        synchronized (out) {
                            out.println("ACK " + s + " " + r.partition() + " " + r.offset());
                            out.flush();
                        }
                    }
                });
            }
        }
    }

    static Event event(long seq) {
        return new Event(key(seq), value(seq), List.of(Header.of("seq", Long.toString(seq))), 1_700_000_000_000L + seq);
    }

    static byte[] key(long seq) {
        return ("key-" + (seq % 97)).getBytes(StandardCharsets.US_ASCII);
    }

    /** 10 to ~3000 bytes derived from the sequence number, so the verifier can recompute it. */
    static byte[] value(long seq) {
        int size = 10 + (int) ((seq * 2_654_435_761L) & 0xfff) % 3000;
        byte[] v = new byte[size];
        long x = seq;
        for (int i = 0; i < size; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            v[i] = (byte) (x >>> 56);
        }
        return v;
    }
}
