package dev.sluice.log.config;

import dev.sluice.log.LogException;

/** A configuration value that cannot be used; the message names the key, the value and the rule. */
public class InvalidConfigException extends LogException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }

    /** "Invalid value -1 for segment.bytes: must be >= 1048576". */
    public static InvalidConfigException invalidValue(String key, String value, String rule) {
        return new InvalidConfigException("Invalid value " + value + " for " + key + ": " + rule);
    }
}
