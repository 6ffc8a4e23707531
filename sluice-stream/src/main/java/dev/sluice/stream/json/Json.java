package dev.sluice.stream.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON to and from plain Java values (maps, lists, strings, numbers, booleans, null). Thread-safe. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Resolved once: {@code readValue(bytes, Object.class)} would look the type up on every call. */
    private static final com.fasterxml.jackson.databind.ObjectReader UNTYPED = MAPPER.readerFor(Object.class);

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses a JSON object.
     *
     * @throws JsonException naming the problem and where in the text it is
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(byte[] bytes) {
        if (bytes == null) {
            throw new JsonException("the event has no value (null) to parse as JSON");
        }
        try {
            Object v = UNTYPED.readValue(bytes);
            if (v instanceof Map<?, ?> m) {
                return (Map<String, Object>) m; // Jackson builds objects as LinkedHashMap<String, Object>
            }
            throw new JsonException("expected a JSON object, got " + describe(v));
        } catch (JsonProcessingException e) {
            throw new JsonException("not valid JSON: " + e.getOriginalMessage() + " at column "
                    + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new JsonException("not valid JSON: " + e.getMessage());
        }
    }

    public static byte[] write(Object value) {
        return JsonWriter.write(value);
    }

    public static String writeString(Object value) {
        return new String(JsonWriter.write(value), java.nio.charset.StandardCharsets.UTF_8);
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

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        return v instanceof Number ? "a number" : v.getClass().getSimpleName();
    }
}
