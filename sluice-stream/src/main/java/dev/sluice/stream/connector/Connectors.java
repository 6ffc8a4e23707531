package dev.sluice.stream.connector;

import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.step.Args;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The connector types found on the class path. */
public final class Connectors {
    private final Map<String, SourceConnector> sources = new LinkedHashMap<>();
    private final Map<String, SinkConnector> sinks = new LinkedHashMap<>();

    private Connectors() {}

    /** Every connector registered with {@link ServiceLoader}. */
    public static Connectors discover() {
        Connectors c = new Connectors();
        ServiceLoader.load(SourceConnector.class).forEach(s -> c.sources.put(s.type(), s));
        ServiceLoader.load(SinkConnector.class).forEach(s -> c.sinks.put(s.type(), s));
        return c;
    }

    /** Adds connectors by hand (tests, the Java DSL). */
    public Connectors with(SourceConnector source) {
        sources.put(source.type(), source);
        return this;
    }

    public Connectors with(SinkConnector sink) {
        sinks.put(sink.type(), sink);
        return this;
    }

    public List<SourceConnector> sources() {
        return List.copyOf(sources.values());
    }

    public List<SinkConnector> sinks() {
        return List.copyOf(sinks.values());
    }

    public SourceConnector source(String type, Location at) {
        SourceConnector s = sources.get(type);
        if (s == null) {
            throw new PipelineException(
                    at,
                    "unknown source type '" + type + "'." + Args.suggest(type, sources.keySet()) + " Source types: "
                            + String.join(", ", sources.keySet()) + ".");
        }
        return s;
    }

    public SinkConnector sink(String type, Location at) {
        SinkConnector s = sinks.get(type);
        if (s == null) {
            throw new PipelineException(
                    at,
                    "unknown sink type '" + type + "'." + Args.suggest(type, sinks.keySet()) + " Sink types: "
                            + String.join(", ", sinks.keySet()) + ".");
        }
        return s;
    }
}
