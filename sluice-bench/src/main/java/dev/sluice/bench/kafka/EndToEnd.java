package dev.sluice.bench.kafka;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end latency workload shared by both sides: one thread sends values stamped with {@link System#nanoTime()}
 * at a fixed rate, another polls them; the latency is poll time minus stamp, after a warm-up second.
 */
final class EndToEnd {
    interface Reader extends AutoCloseable {
        /** The values available now, waiting briefly if there are none. */
        List<byte[]> poll();

        @Override
        void close();
    }

    interface Writer extends AutoCloseable {
        void send(byte[] value);

        @Override
        void close();
    }

    private EndToEnd() {}

    static Histogram measure(int rate, int seconds, int valueSize, Supplier<Reader> reader, Supplier<Writer> writer)
            throws InterruptedException {
        Histogram h = new Histogram(3);
        long total = (long) rate * seconds;
        long warmup = Math.min(total / 5, rate);
        Thread consumer = new Thread(() -> {
            try (Reader r = reader.get()) {
                long seen = 0;
                while (seen < total) {
                    for (byte[] v : r.poll()) {
                        long now = System.nanoTime();
                        if (seen++ >= warmup) {
                            h.recordValue(Math.max(0, now - ByteBuffer.wrap(v).getLong()));
                        }
                    }
                }
            }
        });
        consumer.start();
        Thread.sleep(1000); // let the consumer connect before the first send
        try (Writer w = writer.get()) {
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime();
            for (long n = 0; n < total; n++) {
                long wait = start + n * interval - System.nanoTime();
                if (wait > 0) { // never spin: a busy pacing thread would steal a core from the system under test
                    LockSupport.parkNanos(wait);
                }
                byte[] v = new byte[Math.max(8, valueSize)];
                ByteBuffer.wrap(v).putLong(System.nanoTime());
                w.send(v);
            }
        }
        consumer.join();
        return h;
    }
}
