package dev.sluice.stream.step;

import dev.sluice.stream.join.Tables;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a step may need besides its own argument.
 *
 * @param baseDir directory that relative file paths in the pipeline are resolved against
 * @param shared objects shared by the tasks of one run, such as enrich tables (thread-safe map)
 * @param scope {@code <pipeline>.<stage>}: the prefix of topics a step names by default (its late-events topic)
 * @param tables the tables {@code join} steps read ({@link Tables#NONE} outside a running pipeline)
 */
public record StepContext(Path baseDir, Clock clock, Map<String, Object> shared, String scope, Tables tables) {
    public StepContext(Path baseDir, Clock clock) {
        this(baseDir, clock, new ConcurrentHashMap<>(), "pipeline", Tables.NONE);
    }

    /** The same context for the steps of one stage. */
    public StepContext forScope(String scope) {
        return new StepContext(baseDir, clock, shared, scope, tables);
    }

    /** The same context with these tables to join with. */
    public StepContext withTables(Tables tables) {
        return new StepContext(baseDir, clock, shared, scope, tables);
    }

    public Path resolve(String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }
}
