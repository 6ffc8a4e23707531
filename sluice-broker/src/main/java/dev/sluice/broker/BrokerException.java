package dev.sluice.broker;

/**
 * Base of every error a broker raises, whatever its backend. The message is written for a person: what happened, the
 * value, what to do next. {@link #isRetriable()} says whether the same call may succeed later.
 */
public class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BrokerException(String message) {
        super(message);
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }

    public boolean isRetriable() {
        return false;
    }
}
