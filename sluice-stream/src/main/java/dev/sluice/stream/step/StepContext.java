package dev.sluice.stream.step;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a step may need besides its own argument.
 *
 * @param baseDir directory that relative file paths in the pipeline are resolved against
 * @param shared objects shared by the tasks of one run, such as enrich tables (thread-safe map)
 */
public record StepContext(Path baseDir, Clock clock, Map<String, Object> shared) {
    public StepContext(Path baseDir, Clock clock) {
        this(baseDir, clock, new ConcurrentHashMap<>());
    }

    public Path resolve(String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }
}
