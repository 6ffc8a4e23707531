package dev.sluice.broker;

/** Stored data that fails its checksum. */
public class CorruptDataException extends BrokerException {
    private static final long serialVersionUID = 1L;

    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
