package dev.sluice.stream.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON to and from plain Java values (maps, lists, strings, numbers, booleans, null). Thread-safe. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** One value and nothing after it: {@code {"a":1}xyz} is not JSON. */
    private static final ObjectReader VALUE =
            MAPPER.readerFor(Object.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses a JSON object. The text is checked completely, but each field's value is built only when it is first read
     * (see {@link LazyJsonObject}), and writing the object back copies the bytes of the fields that were not changed.
     * The map can be changed and is owned by the calling thread.
     *
     * @throws JsonException naming the problem and where in the text it is
     */
    public static Map<String, Object> parseObject(byte[] bytes) {
        if (bytes == null) {
            throw new JsonException("the event has no value (null) to parse as JSON");
        }
        return LazyJsonObject.parse(bytes);
    }

    /**
     * Parses any JSON value (object, array, text, number, true, false, null) into maps, lists and plain values.
     *
     * @throws JsonException if the text is not JSON
     */
    public static Object parseValue(byte[] bytes) {
        try {
            return VALUE.readValue(bytes);
        } catch (java.io.IOException e) {
            throw new JsonException("not valid JSON: " + e.getMessage());
        }
    }

    /**
     * The value of one top-level field of a JSON object, reading the text only up to that field (a source that takes
     * an event's key from its value does not check the whole event: the stage that parses it does). With a repeated
     * name, the first one counts.
     *
     * @return the field's value; null if it is missing or null, or if the text up to it is not a JSON object
     */
    public static Object topLevelField(byte[] bytes, String name) {
        try {
            return JsonReader.topLevelField(bytes, name);
        } catch (JsonException e) {
            return null;
        }
    }

    public static byte[] write(Object value) {
        return JsonWriter.write(value);
    }

    public static String writeString(Object value) {
        return new String(JsonWriter.write(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Takes a field out of an event's fields; fields parsed from JSON are not decoded for it (the field is skipped when
     * they are written). Returns whether it was there.
     */
    public static boolean drop(Map<String, Object> fields, String key) {
        if (fields instanceof LazyJsonObject lazy) {
            return lazy.drop(key);
        }
        boolean had = fields.containsKey(key);
        fields.remove(key);
        return had;
    }

    /** Takes every field but these out of an event's fields, as {@link #drop} does. */
    public static void keepOnly(Map<String, Object> fields, java.util.Collection<String> keys) {
        if (fields instanceof LazyJsonObject lazy) {
            lazy.keepOnly(keys);
        } else {
            fields.keySet().retainAll(keys);
        }
    }

    /** A copy of maps and lists, so that the copy can be changed on its own; other values are shared. */
    @SuppressWarnings("unchecked")
    public static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> copy.put(k, deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(deepCopy(v)));
            return copy;
        }
        return value;
    }
}
