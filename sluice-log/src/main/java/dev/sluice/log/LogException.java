package dev.sluice.log;

/**
 * Base of every error the log raises. The message is written for the person who runs Sluice: what happened, the
 * value, and what to do next. Subclasses that are {@link #isRetriable() retriable} may succeed if tried again.
 */
public class LogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }

    public boolean isRetriable() {
        return false;
    }
}
