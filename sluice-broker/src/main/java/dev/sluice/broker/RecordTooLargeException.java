package dev.sluice.broker;

/** An event larger than the topic accepts. */
public class RecordTooLargeException extends BrokerException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(message);
    }

    public RecordTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
