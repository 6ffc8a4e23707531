package dev.sluice.log;

/** An operation on a log that was closed. */
public class LogClosedException extends LogException {
    private static final long serialVersionUID = 1L;

    public LogClosedException(String message) {
        super(message);
    }

    public LogClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
