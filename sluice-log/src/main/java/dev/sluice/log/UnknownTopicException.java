package dev.sluice.log;

/** A topic that does not exist was named. */
public class UnknownTopicException extends LogException {
    private static final long serialVersionUID = 1L;

    public UnknownTopicException(String message) {
        super(message);
    }

    public UnknownTopicException(String message, Throwable cause) {
        super(message, cause);
    }
}
