package dev.sluice.stream.connector;

import dev.sluice.stream.spec.Location;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What a connector knows about where it runs.
 *
 * @param name the source's or sink's name in the pipeline
 * @param topic the topic a source publishes to, or the first topic a sink reads
 * @param baseDir directory that relative paths are resolved against (the pipeline file's directory)
 * @param task the number of this task within its stage (0 for sources), for connectors that write one file per task
 * @param location where the connector was declared, for error messages
 */
public record ConnectorContext(
        String pipeline, String name, String topic, Path baseDir, Clock clock, int task, Location location) {
    public Path resolve(String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }

    public ConnectorContext forTask(int task) {
        return new ConnectorContext(pipeline, name, topic, baseDir, clock, task, location);
    }
}
