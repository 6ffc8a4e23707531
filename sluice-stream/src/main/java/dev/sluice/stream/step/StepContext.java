package dev.sluice.stream.step;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What a step may need besides its own argument.
 *
 * @param baseDir directory that relative file paths in the pipeline are resolved against
 */
public record StepContext(Path baseDir, Clock clock) {
    public Path resolve(String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }
}
