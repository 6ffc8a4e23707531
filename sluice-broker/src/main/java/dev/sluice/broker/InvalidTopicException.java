package dev.sluice.broker;

/** A topic name, partition count or configuration the broker cannot accept. */
public class InvalidTopicException extends BrokerException {
    private static final long serialVersionUID = 1L;

    public InvalidTopicException(String message) {
        super(message);
    }

    public InvalidTopicException(String message, Throwable cause) {
        super(message, cause);
    }
}
