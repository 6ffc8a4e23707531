package dev.sluice.broker;

/** A topic or partition that does not exist was named. */
public class UnknownTopicException extends BrokerException {
    private static final long serialVersionUID = 1L;

    public UnknownTopicException(String message) {
        super(message);
    }

    public UnknownTopicException(String message, Throwable cause) {
        super(message, cause);
    }
}
