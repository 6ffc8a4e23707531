package dev.sluice.broker.embedded;

import dev.sluice.broker.Broker;
import dev.sluice.broker.BrokerProvider;
import java.nio.file.Path;
import java.util.Map;

/** Serves {@code embedded:<data directory>} URLs; {@code embedded:} alone means {@code ./data}. */
public final class EmbeddedBrokerProvider implements BrokerProvider {
    @Override
    public String scheme() {
        return "embedded";
    }

    @Override
    public String example() {
        return "embedded:./data";
    }

    @Override
    public Broker open(String url, Map<String, String> options) {
        String path = url.substring("embedded:".length());
        return EmbeddedBroker.open(Path.of(path.isEmpty() ? "./data" : path));
    }
}
