package dev.sluice.broker;

/** A blocking call interrupted by {@code wakeup()}. */
public class WakeupException extends BrokerException {
    private static final long serialVersionUID = 1L;

    public WakeupException(String message) {
        super(message);
    }

    public WakeupException(String message, Throwable cause) {
        super(message, cause);
    }
}
