package dev.sluice.connect.webhook;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.json.JsonException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The body of a request for some events. As JSON: one event's value as it is, or a JSON array of the values (each must
 * be JSON). As CloudEvents 1.0 in the structured JSON format: an event's value is its {@code data} when it is JSON, or
 * {@code data_base64}; its key the {@code subject}; its topic, partition and offset the {@code id}, so that a receiver
 * can drop a redelivery; a batch is a JSON array of them.
 */
final class WebhookBodies {
    /** A request body and its content type. */
    record Body(byte[] bytes, String contentType) {}

    private final WebhookSettings settings;

    WebhookBodies(WebhookSettings settings) {
        this.settings = settings;
    }

    /** Whether the event can be sent in this format: JSON needs a JSON value, CloudEvents take any. */
    String problem(StreamRecord r) {
        if (settings.cloudEvents() || r.isParsed()) { // fields are JSON
            return null;
        }
        byte[] value = r.valueBytes();
        if (value == null) {
            return "the event has no value to send (null); format: cloudevents sends it without data";
        }
        return isJson(value)
                ? null
                : "the event's value is not JSON, which format: json sends; format: cloudevents"
                        + " sends any value (base64-encoded when it is not JSON)";
    }

    Body of(List<StreamRecord> records) {
        boolean single = settings.batch() == 1;
        if (!settings.cloudEvents()) {
            return new Body(
                    single ? records.get(0).valueBytes() : array(records, StreamRecord::valueBytes),
                    "application/json");
        }
        return single
                ? new Body(cloudEvent(records.get(0)), "application/cloudevents+json")
                : new Body(array(records, this::cloudEvent), "application/cloudevents-batch+json");
    }

    private interface Encoder {
        byte[] encode(StreamRecord r);
    }

    private static byte[] array(List<StreamRecord> records, Encoder encoder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(encoder.encode(records.get(i)));
        }
        out.write(']');
        return out.toByteArray();
    }

    private byte[] cloudEvent(StreamRecord r) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("specversion", "1.0");
        attributes.put(
                "id",
                r.origin() == null
                        ? UUID.randomUUID().toString()
                        : r.origin().topic() + "-" + r.origin().partition() + "-"
                                + r.origin().offset());
        attributes.put("source", settings.cloudEventsSource());
        attributes.put("type", settings.cloudEventsType());
        attributes.put("time", Instant.ofEpochMilli(r.timestamp()).toString());
        if (r.key() != null) {
            attributes.put("subject", r.keyAsString());
        }
        byte[] value = r.valueBytes();
        if (value == null) {
            return Json.write(attributes);
        }
        boolean json = r.isParsed() || isJson(value);
        if (!json) {
            attributes.put("datacontenttype", "application/octet-stream");
            attributes.put("data_base64", Base64.getEncoder().encodeToString(value));
            return Json.write(attributes);
        }
        attributes.put("datacontenttype", "application/json");
        byte[] head = Json.write(attributes); // {"specversion": ..., "datacontenttype": "application/json"}
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + value.length + 16);
        out.write(head, 0, head.length - 1);
        out.writeBytes(",\"data\":".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(value);
        out.write('}');
        return out.toByteArray();
    }

    private static boolean isJson(byte[] value) {
        try {
            Json.parseValue(value);
            return true;
        } catch (JsonException e) {
            return false;
        }
    }
}
