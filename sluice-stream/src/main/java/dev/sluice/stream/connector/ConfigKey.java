package dev.sluice.stream.connector;

/**
 * One setting of a connector, declared with its documentation so that YAML mistakes can be explained.
 *
 * @param example a value shown in error messages and docs
 */
public record ConfigKey(String name, boolean required, String example, String doc) {
    public static ConfigKey required(String name, String example, String doc) {
        return new ConfigKey(name, true, example, doc);
    }

    public static ConfigKey optional(String name, String example, String doc) {
        return new ConfigKey(name, false, example, doc);
    }
}
