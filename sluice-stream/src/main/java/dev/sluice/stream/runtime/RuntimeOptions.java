package dev.sluice.stream.runtime;

import dev.sluice.stream.connector.Connectors;
import java.nio.file.Path;
import java.time.Clock;

/**
 * How a pipeline runs.
 *
 * @param baseDir directory relative paths in the pipeline are resolved against (the YAML file's directory)
 * @param backoff retry timing for sinks that are down
 */
public record RuntimeOptions(Connectors connectors, Path baseDir, Clock clock, Backoff backoff) {
    public static RuntimeOptions defaults(Path baseDir) {
        return new RuntimeOptions(Connectors.discover(), baseDir, Clock.systemUTC(), Backoff.DEFAULT);
    }

    public RuntimeOptions withConnectors(Connectors connectors) {
        return new RuntimeOptions(connectors, baseDir, clock, backoff);
    }

    public RuntimeOptions withBackoff(Backoff backoff) {
        return new RuntimeOptions(connectors, baseDir, clock, backoff);
    }
}
