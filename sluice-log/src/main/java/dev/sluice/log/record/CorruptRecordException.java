package dev.sluice.log.record;

import dev.sluice.log.LogException;

/** Bytes that do not form a valid v2 record batch: a bad CRC, a length that overruns the data, a malformed varint. */
public final class CorruptRecordException extends LogException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }
}
