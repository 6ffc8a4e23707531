package dev.sluice.log;

/** A partition number outside a topic's range. */
public class UnknownPartitionException extends LogException {
    private static final long serialVersionUID = 1L;

    public UnknownPartitionException(String message) {
        super(message);
    }
}
