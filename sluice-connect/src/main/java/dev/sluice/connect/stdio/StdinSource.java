package dev.sluice.connect.stdio;

import dev.sluice.broker.Event;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.connector.SourceConnector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code type: stdin}: one event per line of standard input, until it ends. Standard input cannot be read again, so no
 * position is kept: lines read but not yet acknowledged when the process dies are lost.
 */
public final class StdinSource implements SourceConnector {
    @Override
    public String type() {
        return "stdin";
    }

    @Override
    public String description() {
        return "one event per line of standard input";
    }

    @Override
    public List<ConfigKey> keys() {
        return List.of();
    }

    @Override
    public Source create(Config config, ConnectorContext context) {
        return new Source() {
            private final BufferedReader in =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

            @Override
            public void open(Map<String, Object> position) {}

            @Override
            public Batch poll(Duration maxWait) throws Exception {
                List<Event> events = new ArrayList<>();
                String line = in.readLine();
                if (line == null) {
                    return null;
                }
                long now = System.currentTimeMillis();
                do {
                    if (!line.isBlank()) {
                        events.add(Event.of((byte[]) null, line.getBytes(StandardCharsets.UTF_8), now));
                    }
                } while (events.size() < 1000 && in.ready() && (line = in.readLine()) != null);
                return new Batch(events, Map.of());
            }

            @Override
            public void close() {}
        };
    }
}
