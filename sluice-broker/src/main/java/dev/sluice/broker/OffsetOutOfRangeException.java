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

    /** A seek outside the stored offsets, {@code start} to {@code end} (the next offset to be written). */
    public static OffsetOutOfRangeException seek(TopicPartition tp, long offset, long start, long end) {
        return new OffsetOutOfRangeException(
                "Cannot seek " + tp + " to " + offset + ": stored offsets are " + start + " to " + end + ".");
    }
}
