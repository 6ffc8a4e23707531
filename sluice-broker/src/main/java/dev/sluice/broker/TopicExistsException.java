package dev.sluice.broker;

/** A topic was created under a name already taken. */
public class TopicExistsException extends BrokerException {
    private static final long serialVersionUID = 1L;

    public TopicExistsException(String message) {
        super(message);
    }

    public TopicExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
