package dev.sluice.stream.state.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** A {@link KeyValueStore} on the heap. */
public final class MemoryStore implements KeyValueStore {
    private final TreeMap<String, byte[]> entries = new TreeMap<>();

    @Override
    public byte[] get(String key) {
        return entries.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        entries.put(key, value);
    }

    @Override
    public void delete(String key) {
        entries.remove(key);
    }

    @Override
    public void scan(String prefix, BiConsumer<String, byte[]> out) {
        for (Map.Entry<String, byte[]> e : entries.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                return;
            }
            out.accept(e.getKey(), e.getValue());
        }
    }

    @Override
    public long size() {
        return entries.size();
    }

    @Override
    public void close() {
        entries.clear();
    }
}
