package dev.sluice.stream.json;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object read from bytes that decodes a top-level field only when it is asked for, and writes itself back by
 * copying the original bytes of the fields nobody replaced. Parsing checks the whole text, so bad JSON fails at once;
 * what it saves is building values nobody reads and rewriting text nobody changed. A pipeline that filters on one
 * field and adds another touches two of the fields and copies the rest as they came.
 *
 * <p>{@code get}, {@code containsKey}, {@code put} and {@link #drop} work on the bytes; any other use of the map (iterating it,
 * removing a field, asking its size) first decodes every field into an ordinary {@link LinkedHashMap}, which it is from
 * then on. A field whose value is an object or an array counts as changed once it has been read, since its reader may
 * change it in place. Owned by one thread; not thread-safe.
 */
final class LazyJsonObject extends AbstractMap<String, Object> {
    /** A JSON null that was read; a Java null in {@code values} means not read yet (no fill per object). */
    private static final Object NULL = new Object();
    /** Per field: the offsets of its name's opening quote, of the end of the name, of its value and the value's end. */
    private static final int SLOTS = 4;
    /**
     * Per thread, the arrays fields are indexed in before the object gets copies of the exact size (growing arrays per
     * object was a sixth of what a simple stage allocated).
     */
    private static final ThreadLocal<int[][]> SCRATCH =
            ThreadLocal.withInitial(() -> new int[][] {new int[16 * SLOTS], new int[16]});

    private static final int MAX_SCRATCH_FIELDS = 4096;

    private final byte[] bytes;
    private final int open;
    private final int close;
    private int count;
    private int[] offsets;
    private int[] hashes;
    /** Decoded names; null for plain ASCII names, which are compared with the bytes directly. */
    private String[] names;

    private Object[] values;
    private boolean[] changed;
    /** Fields taken out ({@link #drop}), which are skipped as if they had not come; null while none is. */
    private boolean[] removed;

    private int removedCount;
    private List<String> addedNames;
    private List<Object> addedValues;
    /** Once set, the whole truth: every operation goes to it. */
    private Map<String, Object> decoded;

    private LazyJsonObject(byte[] bytes, int open, int close) {
        this.bytes = bytes;
        this.open = open;
        this.close = close;
    }

    /**
     * Checks {@code bytes} as one JSON value and indexes its fields.
     *
     * @throws JsonException if the text is not JSON, naming the problem and its column, or is not an object
     */
    static LazyJsonObject parse(byte[] bytes) {
        JsonReader r = new JsonReader(bytes, 0, bytes.length);
        int c = r.peek();
        if (c == -1) {
            throw new JsonException("not valid JSON: the text is empty");
        }
        if (c != '{') {
            r.skipValue(0);
            throw new JsonException("expected a JSON object, got " + describe(c));
        }
        LazyJsonObject object = index(r, bytes);
        if (r.peek() != -1) {
            throw r.error("unexpected text after the end of the object");
        }
        return object;
    }

    private static LazyJsonObject index(JsonReader r, byte[] bytes) {
        int open = r.pos();
        r.expect('{', "'{'");
        int[][] scratch = SCRATCH.get();
        int[] offsets = scratch[0];
        int[] hashes = scratch[1];
        String[] names = null;
        int n = 0;
        if (r.peek() != '}') {
            while (true) {
                if (r.peek() != '"') {
                    throw r.unexpected("a field name in double quotes");
                }
                if (n == hashes.length) {
                    offsets = Arrays.copyOf(offsets, offsets.length * 2);
                    hashes = Arrays.copyOf(hashes, hashes.length * 2);
                    names = names == null ? null : Arrays.copyOf(names, hashes.length);
                    if (hashes.length <= MAX_SCRATCH_FIELDS) {
                        scratch[0] = offsets;
                        scratch[1] = hashes;
                    }
                }
                int nameStart = r.pos();
                int flags = r.skipString();
                offsets[n * SLOTS] = nameStart;
                offsets[n * SLOTS + 1] = r.pos();
                if (flags == 0) {
                    hashes[n] = r.lastHash();
                } else {
                    names = names == null ? new String[hashes.length] : names;
                    names[n] = new JsonReader(bytes, nameStart, r.pos()).decodeString();
                    hashes[n] = names[n].hashCode();
                }
                r.expect(':', "':' after the field name");
                r.peek();
                offsets[n * SLOTS + 2] = r.pos();
                r.skipValue(1);
                offsets[n * SLOTS + 3] = r.pos();
                n++;
                int c = r.peek();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw r.unexpected("',' or '}' after a field");
                }
                r.expect(',', "','");
            }
        }
        int close = r.pos();
        r.expect('}', "'}'");
        LazyJsonObject object = new LazyJsonObject(bytes, open, close);
        object.count = n;
        object.offsets = Arrays.copyOf(offsets, n * SLOTS);
        object.hashes = Arrays.copyOf(hashes, n);
        object.names = names;
        object.values = new Object[n];
        if (object.hasRepeatedName()) {
            object.decodeAll(); // rare; let the map apply "first position, last value" as Jackson does
        }
        return object;
    }

    private boolean hasRepeatedName() {
        if (!mayHaveRepeatedHash()) {
            return false;
        }
        if (count > 32) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < count; i++) {
                if (!seen.add(name(i))) {
                    return true;
                }
            }
            return false;
        }
        for (int i = 1; i < count; i++) {
            for (int j = 0; j < i; j++) {
                if (hashes[i] == hashes[j] && nameIs(j, name(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** False when the names' hashes fall in different bits of a 64-bit mask: then no name is repeated. */
    private boolean mayHaveRepeatedHash() {
        long seen = 0;
        for (int i = 0; i < count; i++) {
            long bit = 1L << ((hashes[i] ^ (hashes[i] >>> 6) ^ (hashes[i] >>> 12)) & 63);
            if ((seen & bit) != 0) {
                return true;
            }
            seen |= bit;
        }
        return false;
    }

    private String name(int i) {
        if (names != null && names[i] != null) {
            return names[i];
        }
        int start = offsets[i * SLOTS] + 1;
        return new String(bytes, start, offsets[i * SLOTS + 1] - 1 - start, StandardCharsets.ISO_8859_1);
    }

    private boolean nameIs(int i, String key) {
        if (names != null && names[i] != null) {
            return names[i].equals(key);
        }
        int start = offsets[i * SLOTS] + 1;
        int length = offsets[i * SLOTS + 1] - 1 - start;
        if (key.length() != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (bytes[start + k] != key.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(Object key) {
        if (!(key instanceof String s)) {
            return -1;
        }
        int h = s.hashCode();
        for (int i = 0; i < count; i++) {
            if (hashes[i] == h && nameIs(i, s)) {
                return removed != null && removed[i] ? -1 : i;
            }
        }
        return -1;
    }

    /**
     * Takes a field out without decoding it or the others: it is skipped when the object is written. Returns whether
     * it was there.
     */
    boolean drop(String key) {
        if (decoded != null) {
            boolean had = decoded.containsKey(key);
            decoded.remove(key);
            return had;
        }
        int i = indexOf(key);
        if (i >= 0) {
            if (removed == null) {
                removed = new boolean[count];
            }
            removed[i] = true;
            removedCount++;
            return true;
        }
        int a = addedNames == null ? -1 : addedNames.indexOf(key);
        if (a >= 0) {
            addedNames.remove(a);
            addedValues.remove(a);
            return true;
        }
        return false;
    }

    /** Takes out every field but these, as {@link #drop} does. */
    void keepOnly(java.util.Collection<String> keys) {
        if (decoded != null) {
            decoded.keySet().retainAll(keys);
            return;
        }
        String[] kept = keys.toArray(String[]::new); // iterated once per field: an array, not the caller's set
        int[] keptHashes = new int[kept.length];
        for (int k = 0; k < kept.length; k++) {
            keptHashes[k] = kept[k].hashCode();
        }
        for (int i = 0; i < count; i++) {
            if ((removed == null || !removed[i]) && !isOneOf(i, kept, keptHashes)) {
                if (removed == null) {
                    removed = new boolean[count];
                }
                removed[i] = true;
                removedCount++;
            }
        }
        for (int a = addedNames == null ? -1 : addedNames.size() - 1; a >= 0; a--) {
            if (!keys.contains(addedNames.get(a))) {
                addedNames.remove(a);
                addedValues.remove(a);
            }
        }
    }

    /** Whether field {@code i} has one of the names {@code keys}, whose hashes are {@code keyHashes}. */
    private boolean isOneOf(int i, String[] keys, int[] keyHashes) {
        for (int k = 0; k < keys.length; k++) {
            if (keyHashes[k] == hashes[i] && nameIs(i, keys[k])) {
                return true;
            }
        }
        return false;
    }

    private boolean isRemoved(int i) {
        return removed != null && removed[i];
    }

    private Object value(int i) {
        Object v = values[i];
        if (v == null) {
            v = new JsonReader(bytes, offsets[i * SLOTS + 2], offsets[i * SLOTS + 3]).decode();
            values[i] = v == null ? NULL : v;
            if (v instanceof Map || v instanceof List) {
                markChanged(i);
            }
            return v;
        }
        return v == NULL ? null : v;
    }

    private void markChanged(int i) {
        if (changed == null) {
            changed = new boolean[count];
        }
        changed[i] = true;
    }

    @Override
    public Object get(Object key) {
        if (decoded != null) {
            return decoded.get(key);
        }
        int i = indexOf(key);
        if (i >= 0) {
            return value(i);
        }
        int a = addedNames == null ? -1 : addedNames.indexOf(key);
        return a >= 0 ? addedValues.get(a) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        if (decoded != null) {
            return decoded.containsKey(key);
        }
        return indexOf(key) >= 0 || (addedNames != null && addedNames.contains(key));
    }

    @Override
    public Object put(String key, Object value) {
        if (decoded != null) {
            return decoded.put(key, value);
        }
        int i = indexOf(key);
        if (i >= 0) {
            Object old = value(i);
            values[i] = value == null ? NULL : value;
            markChanged(i);
            return old;
        }
        if (addedNames == null) {
            addedNames = new ArrayList<>(4);
            addedValues = new ArrayList<>(4);
        }
        int a = addedNames.indexOf(key);
        if (a >= 0) {
            return addedValues.set(a, value);
        }
        addedNames.add(key);
        addedValues.add(value);
        return null;
    }

    @Override
    public int size() {
        return decoded != null ? decoded.size() : count - removedCount + (addedNames == null ? 0 : addedNames.size());
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return decodeAll().entrySet();
    }

    private Map<String, Object> decodeAll() {
        if (decoded == null) {
            Map<String, Object> map = new LinkedHashMap<>(Math.max(16, size() * 2));
            for (int i = 0; i < count; i++) {
                if (!isRemoved(i)) {
                    map.put(name(i), value(i));
                }
            }
            for (int a = 0; addedNames != null && a < addedNames.size(); a++) {
                map.put(addedNames.get(a), addedValues.get(a));
            }
            decoded = map;
            values = null;
        }
        return decoded;
    }

    /** The original bytes when nothing changed and they hold just this object, else null. */
    byte[] unchangedBytes() {
        boolean unchanged = decoded == null && changed == null && removed == null && addedNames == null;
        return unchanged && open == 0 && close == bytes.length - 1 ? bytes : null;
    }

    /** Writes this object as compact JSON, copying the bytes of every field that was not replaced. */
    void writeTo(JsonWriter.Buffer out) {
        if (decoded != null) {
            JsonWriter.object(out, decoded);
            return;
        }
        int written = count - removedCount;
        if (changed == null && removed == null) {
            out.write(bytes, open, close - open); // everything up to the closing brace, as it came
        } else {
            out.write('{');
            boolean first = true;
            for (int i = 0; i < count; i++) {
                if (isRemoved(i)) {
                    continue;
                }
                if (!first) {
                    out.write(',');
                }
                first = false;
                int nameStart = offsets[i * SLOTS];
                if (changed != null && changed[i]) {
                    out.write(bytes, nameStart, offsets[i * SLOTS + 1] - nameStart);
                    out.write(':');
                    JsonWriter.value(out, values[i] == NULL ? null : values[i]);
                } else {
                    out.write(bytes, nameStart, offsets[i * SLOTS + 3] - nameStart);
                }
            }
        }
        for (int a = 0; addedNames != null && a < addedNames.size(); a++) {
            if (written > 0 || a > 0) {
                out.write(',');
            }
            JsonWriter.string(out, addedNames.get(a));
            out.write(':');
            JsonWriter.value(out, addedValues.get(a));
        }
        out.write('}');
    }

    private static String describe(int firstByte) {
        return switch (firstByte) {
            case '[' -> "an array";
            case '"' -> "a string";
            case 't', 'f' -> "a boolean";
            case 'n' -> "null";
            default -> "a number";
        };
    }
}
