package dev.sluice.broker;

/** The broker cannot be reached or its storage cannot be used right now; retriable. */
public class BrokerUnavailableException extends BrokerException {
    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String message) {
        super(message);
    }

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
