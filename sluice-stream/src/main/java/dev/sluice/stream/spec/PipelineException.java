package dev.sluice.stream.spec;

/**
 * A mistake in a pipeline definition. The message names the place (file, line, column), the key, the problem and,
 * where one is likely, the fix ("did you mean ...").
 */
public class PipelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Location location;

    public PipelineException(Location location, String message) {
        super((location == null || location.file() == null ? "" : location + ": ") + message);
        this.location = location;
    }

    public Location location() {
        return location;
    }
}
