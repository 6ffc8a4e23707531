package dev.sluice.stream.state.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * A {@link KeyValueStore} on the heap: a hash map for the entries, so reading and writing one is a hash lookup, and a
 * sorted index of the keys of map entries (keys with two NULs: state, key, entry name), for scanning one key's map.
 */
public final class MemoryStore implements KeyValueStore {
    private final Map<String, byte[]> entries = new HashMap<>();
    private final TreeSet<String> mapKeys = new TreeSet<>();

    @Override
    public byte[] get(String key) {
        return entries.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        if (entries.put(key, value) == null && isMapEntry(key)) {
            mapKeys.add(key);
        }
    }

    @Override
    public void delete(String key) {
        if (entries.remove(key) != null && isMapEntry(key)) {
            mapKeys.remove(key);
        }
    }

    @Override
    public void scan(String prefix, BiConsumer<String, byte[]> out) {
        if (isMapPrefix(prefix)) {
            for (String key : mapKeys.tailSet(prefix, true)) {
                if (!key.startsWith(prefix)) {
                    return;
                }
                out.accept(key, entries.get(key));
            }
            return;
        }
        List<String> keys = new ArrayList<>();
        for (String key : entries.keySet()) {
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        keys.sort(null);
        for (String key : keys) {
            out.accept(key, entries.get(key));
        }
    }

    private static boolean isMapEntry(String key) {
        int first = key.indexOf('\0');
        return first >= 0 && key.indexOf('\0', first + 1) >= 0;
    }

    /** A prefix that ends inside the map entries of one key: {@code state NUL key NUL}. */
    private static boolean isMapPrefix(String prefix) {
        return isMapEntry(prefix);
    }

    @Override
    public long size() {
        return entries.size();
    }

    @Override
    public void close() {
        entries.clear();
        mapKeys.clear();
    }
}
