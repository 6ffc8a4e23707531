package dev.sluice.log;

/** A topic name or partition count that the log cannot accept. */
public class InvalidTopicException extends LogException {
    private static final long serialVersionUID = 1L;

    public InvalidTopicException(String message) {
        super(message);
    }

    public InvalidTopicException(String message, Throwable cause) {
        super(message, cause);
    }
}
