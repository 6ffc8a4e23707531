package dev.sluice.log;

/**
 * A write or fsync of a partition's files failed (a full disk, a failing disk, a data directory removed under the
 * process). The partition takes no more appends until the log is opened again, which recovers it from what is on
 * disk; what was acknowledged before stays readable, and nothing written after the failure becomes readable. Not
 * retriable: the same write fails again until someone fixes the disk.
 */
public class LogStorageException extends LogException {
    private static final long serialVersionUID = 1L;

    public LogStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
