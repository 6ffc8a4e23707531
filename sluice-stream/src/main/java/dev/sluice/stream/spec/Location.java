package dev.sluice.stream.spec;

/**
 * Where a piece of a pipeline was written: a file, line and column (1-based), or the Java DSL.
 *
 * @param file the YAML file, or null for the Java DSL
 */
public record Location(String file, int line, int column) {
    public static final Location DSL = new Location(null, 0, 0);

    @Override
    public String toString() {
        return file == null ? "(Java DSL)" : file + ":" + line + ":" + column;
    }
}
