package dev.sluice.connect.stdio;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkConnector;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code type: stdout}: prints each event's value on its own line (with the key and a tab if {@code key: true}). */
public final class StdoutSink implements SinkConnector {
    @Override
    public String type() {
        return "stdout";
    }

    @Override
    public String description() {
        return "prints each event on standard output";
    }

    @Override
    public List<ConfigKey> keys() {
        return List.of(ConfigKey.optional("key", "true", "print the key and a tab before the value"));
    }

    @Override
    public Sink create(Config config, ConnectorContext context) {
        boolean key = config.bool("key", false);
        return new Sink() {
            @Override
            public void open() {}

            @Override
            public void write(List<StreamRecord> records) {
                PrintStream out = System.out;
                StringBuilder sb = new StringBuilder();
                for (StreamRecord r : records) {
                    if (key) {
                        sb.append(r.keyAsString()).append('\t');
                    }
                    byte[] v = r.valueBytes();
                    sb.append(v == null ? "null" : new String(v, StandardCharsets.UTF_8))
                            .append('\n');
                }
                synchronized (out) {
                    out.print(sb);
                    out.flush();
                }
            }

            @Override
            public void close() {}
        };
    }
}
