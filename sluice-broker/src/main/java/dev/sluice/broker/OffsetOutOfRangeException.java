package dev.sluice.broker;

/** A position outside the stored offsets of a partition. */
public class OffsetOutOfRangeException extends BrokerException {
    private static final long serialVersionUID = 1L;

    public OffsetOutOfRangeException(String message) {
        super(message);
    }

    public OffsetOutOfRangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
