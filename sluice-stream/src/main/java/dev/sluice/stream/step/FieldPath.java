package dev.sluice.stream.step;

import java.util.LinkedHashMap;
import java.util.Map;

/** A field name, or a dotted path into nested objects ({@code user.address.country}). Immutable. */
public final class FieldPath {
    private final String path;
    private final String[] parts;

    private FieldPath(String path) {
        this.path = path;
        this.parts = path.split("\\.");
    }

    public static FieldPath of(String path) {
        return new FieldPath(path);
    }

    public Object get(Map<String, Object> fields) {
        Object current = fields;
        for (String p : parts) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(p);
        }
        return current;
    }

    /** Sets the value, creating intermediate objects as needed. */
    @SuppressWarnings("unchecked")
    public void put(Map<String, Object> fields, Object value) {
        Map<String, Object> current = fields;
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = current.get(parts[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                current.put(parts[i], next);
            }
            current = (Map<String, Object>) next;
        }
        current.put(parts[parts.length - 1], value);
    }

    /** Removes the field and returns its value, or null. */
    public Object remove(Map<String, Object> fields) {
        Object current = fields;
        for (int i = 0; i < parts.length - 1; i++) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(parts[i]);
        }
        return current instanceof Map<?, ?> m ? m.remove(parts[parts.length - 1]) : null;
    }

    /** Removes the field, without reading its value (fields parsed from JSON are not decoded for it). */
    @SuppressWarnings("unchecked")
    public void delete(Map<String, Object> fields) {
        Object current = fields;
        for (int i = 0; i < parts.length - 1; i++) {
            if (!(current instanceof Map<?, ?> m)) {
                return;
            }
            current = m.get(parts[i]);
        }
        if (current instanceof Map<?, ?> m) {
            dev.sluice.stream.json.Json.drop((Map<String, Object>) m, parts[parts.length - 1]);
        }
    }

    /** Whether it is a top-level field name rather than a path into nested objects. */
    public boolean isTopLevel() {
        return parts.length == 1;
    }

    @Override
    public String toString() {
        return path;
    }
}
