package dev.sluice.stream.connector;

/** A sink could not write: the destination is down (retriable) or refused the records (not retriable). */
public class SinkException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    public SinkException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public static SinkException retriable(String message, Throwable cause) {
        return new SinkException(message, true, cause);
    }

    public static SinkException rejected(String message, Throwable cause) {
        return new SinkException(message, false, cause);
    }

    public boolean isRetriable() {
        return retriable;
    }
}
