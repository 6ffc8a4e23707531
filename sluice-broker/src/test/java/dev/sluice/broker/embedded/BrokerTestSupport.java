package dev.sluice.broker.embedded;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

final class BrokerTestSupport {
    private BrokerTestSupport() {}

    /** Polls until {@code n} events arrived or 10 s passed. */
    static List<ConsumedEvent> pollUntil(Consumer consumer, int n) {
        List<ConsumedEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.addAll(consumer.poll(Duration.ofMillis(100)));
        }
        return out;
    }
}
