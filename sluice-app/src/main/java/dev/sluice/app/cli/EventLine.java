package dev.sluice.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.app.cli.UserErrors.UserException;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Turns one input line into an event: as plain text, or as a JSON object from which the key and timestamp may be
 * taken. Errors name the field and the fix; the caller adds the file and line.
 */
final class EventLine {
    enum Format {
        JSON,
        TEXT
    }

    private final Format format;
    private final String fixedKey;
    private final String keyField;
    private final String timestampField;
    private final List<Header> headers;

    EventLine(Format format, String fixedKey, String keyField, String timestampField, List<Header> headers) {
        this.format = format;
        this.fixedKey = fixedKey;
        this.keyField = keyField;
        this.timestampField = timestampField;
        this.headers = headers;
        if (format == Format.TEXT && (keyField != null || timestampField != null)) {
            throw new UserException("--key-field and --timestamp-field need --format json: plain text has no fields.");
        }
        if (fixedKey != null && keyField != null) {
            throw new UserException("Give either --key or --key-field, not both.");
        }
    }

    /**
     * @throws UserException with a message that names the problem in this line
     */
    Event parse(String line, long now) {
        byte[] value = line.getBytes(StandardCharsets.UTF_8);
        if (format == Format.TEXT) {
            return new Event(utf8(fixedKey), value, headers, now);
        }
        JsonNode node;
        try {
            node = Output.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UserException("not valid JSON (" + e.getOriginalMessage() + "). Fix the line, or send lines as"
                    + " plain text with --format text.");
        }
        if (node == null || !node.isObject()) {
            throw new UserException("expected a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase())
                    + ". Send one object per line, or use --format text.");
        }
        byte[] key = fixedKey != null
                ? utf8(fixedKey)
                : keyField == null ? null : utf8(text(field(node, keyField, "--key-field")));
        long timestamp = timestampField == null ? now : timestamp(field(node, timestampField, "--timestamp-field"));
        return new Event(key, value, headers, timestamp);
    }

    private static JsonNode field(JsonNode node, String path, String option) {
        JsonNode current = node;
        for (String part : path.split("\\.")) {
            current = current == null ? null : current.get(part);
        }
        if (current == null || current.isNull()) {
            throw new UserException(
                    "field '" + path + "' (" + option + ") is missing. Add it to every line, or drop " + option + ".");
        }
        return current;
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private long timestamp(JsonNode value) {
        if (value.canConvertToLong()) {
            return value.asLong();
        }
        String s = value.asText();
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new UserException("field '" + timestampField + "' is '" + s + "', not a timestamp: use epoch"
                        + " milliseconds or ISO-8601 such as 2026-11-25T13:45:00Z.");
            }
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
