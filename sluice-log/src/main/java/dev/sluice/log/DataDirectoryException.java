package dev.sluice.log;

/** The data directory cannot be used: locked by another process, unreadable, or not a directory. */
public class DataDirectoryException extends LogException {
    private static final long serialVersionUID = 1L;

    public DataDirectoryException(String message) {
        super(message);
    }

    public DataDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
