package dev.sluice.testkit;

import java.util.Map;

/**
 * What a stage emitted, or refused.
 *
 * @param fields the value's fields (a refused event's as they came)
 * @param result a window result's kind ({@code final}, {@code update}, {@code early}), else null
 * @param reason why an event was refused (dead letter or late), else null
 */
public record TestRecord(String key, Map<String, Object> fields, long timestamp, String result, String reason) {}
