package dev.sluice.stream.connector;

import dev.sluice.stream.StreamRecord;
import java.util.List;

/**
 * A sink could not write: the destination is down (retriable: the runtime backs off and tries again), refused the
 * records (rejected: the runtime writes them one at a time to find the bad ones, and dead-letters those after a few
 * attempts), or kept failing until the sink's own attempts ran out (undeliverable: the runtime dead-letters them at
 * once). A sink that wrote part of a batch says which records failed and which it did not try ({@link #partly}).
 */
public class SinkException extends Exception {
    private static final long serialVersionUID = 1L;

    private enum Kind {
        RETRIABLE,
        REJECTED,
        UNDELIVERABLE
    }

    private final Kind kind;
    private transient List<StreamRecord> failed;
    private transient List<StreamRecord> untried = List.of();

    public SinkException(String message, boolean retriable, Throwable cause) {
        this(message, retriable ? Kind.RETRIABLE : Kind.REJECTED, cause);
    }

    private SinkException(String message, Kind kind, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public static SinkException retriable(String message, Throwable cause) {
        return new SinkException(message, Kind.RETRIABLE, cause);
    }

    public static SinkException rejected(String message, Throwable cause) {
        return new SinkException(message, Kind.REJECTED, cause);
    }

    /** The sink tried these records as often as it was told to, and gives up on them: they go to the dead letters. */
    public static SinkException undeliverable(String message, Throwable cause) {
        return new SinkException(message, Kind.UNDELIVERABLE, cause);
    }

    /**
     * Says that only {@code failed} failed, and that {@code untried}, the records after them, were not tried; the
     * others of the batch were written.
     */
    public SinkException partly(List<StreamRecord> failed, List<StreamRecord> untried) {
        this.failed = List.copyOf(failed);
        this.untried = List.copyOf(untried);
        return this;
    }

    public boolean isRetriable() {
        return kind == Kind.RETRIABLE;
    }

    public boolean isUndeliverable() {
        return kind == Kind.UNDELIVERABLE;
    }

    /** The records that failed: {@code batch} unless the sink said otherwise. */
    public List<StreamRecord> failed(List<StreamRecord> batch) {
        return failed == null ? batch : failed;
    }

    /** The records after the failed ones that the sink did not try. */
    public List<StreamRecord> untried() {
        return untried;
    }
}
