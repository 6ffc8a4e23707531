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

    @Override
    public String toString() {
        return path;
    }
}
