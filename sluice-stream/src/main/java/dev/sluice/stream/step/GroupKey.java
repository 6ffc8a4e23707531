package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What events are grouped by: the value of one field, the values of several (a list), or the event key when no field
 * is given. The same fields give the same key in the {@code partition-by} step that spreads events over partitions and
 * in the window step that aggregates them. Immutable.
 */
public final class GroupKey {
    private final List<FieldPath> fields;

    /**
     * @param fields field names or dotted paths, or null for the event key
     */
    public GroupKey(List<String> fields) {
        this.fields = fields == null ? null : fields.stream().map(FieldPath::of).toList();
    }

    /** The output field names of the key: the last segment of each path, or {@code key}. */
    public List<String> names() {
        if (fields == null) {
            return List.of("key");
        }
        return fields.stream()
                .map(f -> {
                    String p = f.toString();
                    return p.substring(p.lastIndexOf('.') + 1);
                })
                .toList();
    }

    public boolean isEventKey() {
        return fields == null;
    }

    /**
     * @throws StepException if a field is missing, or the event has no key when grouping by it
     */
    public Object of(StreamRecord record) {
        if (fields == null) {
            String key = record.keyAsString();
            if (key == null) {
                throw new StepException("the event has no key to group by: give the window 'by: <field>'");
            }
            return key;
        }
        Map<String, Object> values = record.fields();
        if (fields.size() == 1) {
            return required(fields.get(0), values);
        }
        List<Object> key = new ArrayList<>(fields.size());
        for (FieldPath f : fields) {
            key.add(required(f, values));
        }
        return key;
    }

    /** The key as event-key bytes: the value as text, or several values as a JSON array. */
    public static byte[] bytes(Object key) {
        return key instanceof List<?> ? Json.write(key) : key.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The keys a key given as text may stand for: the text itself, the number it spells, or the list a JSON array
     * spells (a group of several fields).
     */
    public static List<Object> candidates(String text) {
        List<Object> out = new ArrayList<>();
        out.add(text);
        try {
            long n = Long.parseLong(text);
            if (n == (int) n) {
                out.add((int) n); // numbers read from JSON are Integers when they fit
            }
            out.add(n);
        } catch (NumberFormatException e) {
            // not a whole number
        }
        try {
            out.add(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            // not a number
        }
        if (text.startsWith("[")) {
            try {
                Object list = Json.parseObject(("{\"k\":" + text + "}").getBytes(StandardCharsets.UTF_8))
                        .get("k");
                if (list instanceof List<?>) {
                    out.add(list);
                }
            } catch (RuntimeException e) {
                // not JSON
            }
        }
        return out;
    }

    private static Object required(FieldPath field, Map<String, Object> values) {
        Object v = field.get(values);
        if (v == null) {
            throw new StepException("the group-by field '" + field + "' is missing or null");
        }
        return v;
    }
}
