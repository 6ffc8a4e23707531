package dev.sluice.stream.state.internal;

import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.state.MapState;
import dev.sluice.stream.state.StateStores;
import dev.sluice.stream.state.ValueState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The keyed state of a {@link dev.sluice.stream.state.KeyedFunction} in one task: a {@link KeyValueStore} per input
 * partition, the partition and key now being processed (which the state objects read and write), and the entries
 * changed since the last checkpoint. An entry's key is the state's name, the key and, in a map, the entry's name,
 * separated by NUL; its value is JSON. Owned by the task's thread.
 */
public final class KeyedStateBackend implements StateStores {
    private static final char SEP = '\0';

    /** An entry as the changelog holds it: its store key and its JSON value, or null when it was removed. */
    public record Entry(String key, byte[] value) {}

    private final Supplier<KeyValueStore> newStore;
    private final Map<TopicPartition, KeyValueStore> stores = new HashMap<>();
    private final Map<TopicPartition, Set<String>> changed = new HashMap<>();
    private final Map<String, Boolean> names = new HashMap<>();
    private KeyValueStore store;
    private Set<String> dirty;
    private String key;

    public KeyedStateBackend(Supplier<KeyValueStore> newStore) {
        this.newStore = newStore;
    }

    /** The state objects now read and write this key's state in this partition. */
    public void select(TopicPartition partition, String key) {
        if (key.indexOf(SEP) >= 0) {
            throw new IllegalArgumentException("a state key cannot hold the character NUL: '" + key + "'");
        }
        this.store = stores.computeIfAbsent(partition, p -> newStore.get());
        this.dirty = changed.computeIfAbsent(partition, p -> new LinkedHashSet<>());
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The partitions that hold state. */
    public Set<TopicPartition> partitions() {
        return stores.keySet();
    }

    /** The partition's state goes (it moved to another task, which restores it from the changelog). */
    public void drop(TopicPartition partition) {
        KeyValueStore s = stores.remove(partition);
        if (s != null) {
            s.close();
        }
        changed.remove(partition);
    }

    /** Closes every partition's store. */
    public void close() {
        new ArrayList<>(stores.keySet()).forEach(this::drop);
        store = null;
    }

    /** The entries changed since the last call, with their values now. */
    public List<Entry> takeChanges(TopicPartition partition) {
        Set<String> keys = changed.put(partition, new LinkedHashSet<>());
        KeyValueStore s = stores.get(partition);
        if (keys == null || s == null) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(new Entry(k, s.get(k)));
        }
        if (s == store) {
            dirty = changed.get(partition);
        }
        return out;
    }

    /** Every entry of the partition's state. */
    public List<Entry> all(TopicPartition partition) {
        List<Entry> out = new ArrayList<>();
        KeyValueStore s = stores.get(partition);
        if (s != null) {
            s.scan("", (k, v) -> out.add(new Entry(k, v)));
        }
        return out;
    }

    /** Replaces the partition's state with these entries. */
    public void restore(TopicPartition partition, List<Entry> entries) {
        drop(partition);
        KeyValueStore s = newStore.get();
        for (Entry e : entries) {
            s.put(e.key(), e.value());
        }
        stores.put(partition, s);
    }

    /** The current key's state, by state name: values, and maps as objects. */
    public Map<String, Object> describe(TopicPartition partition, String key) {
        Map<String, Object> out = new LinkedHashMap<>();
        KeyValueStore s = stores.get(partition);
        if (s == null) {
            return out;
        }
        names.forEach((name, isMap) -> {
            if (isMap) {
                Map<String, Object> entries = new LinkedHashMap<>();
                String prefix = name + SEP + key + SEP;
                s.scan(prefix, (k, v) -> entries.put(k.substring(prefix.length()), Json.parseValue(v)));
                if (!entries.isEmpty()) {
                    out.put(name, entries);
                }
            } else {
                byte[] v = s.get(name + SEP + key);
                if (v != null) {
                    out.put(name, Json.parseValue(v));
                }
            }
        });
        return out;
    }

    /** The entry's key as a JSON object for the changelog: {@code {"s": state, "k": key, "m": name in a map}}. */
    public static Map<String, Object> describeKey(String storeKey) {
        String[] parts = storeKey.split(String.valueOf(SEP), 3);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("s", parts[0]);
        out.put("k", parts.length > 1 ? parts[1] : "");
        if (parts.length > 2) {
            out.put("m", parts[2]);
        }
        return out;
    }

    /** The store key of a changelog entry's key, as {@link #describeKey} wrote it. */
    public static String storeKey(Map<String, Object> described) {
        String k = described.get("s") + String.valueOf(SEP) + described.get("k");
        return described.containsKey("m") ? k + SEP + described.get("m") : k;
    }

    @Override
    public <T> ValueState<T> value(String name, Class<T> type) {
        declare(name, false);
        ValueCodec<T> codec = new ValueCodec<>(type);
        return new ValueState<>() {
            /** The store key of the current key's value, made once per key. */
            private String lastKey;

            private String storeKey;

            private String storeKey() {
                if (key != lastKey) { // the same key object: the same store key
                    lastKey = key;
                    storeKey = name + SEP + key;
                }
                return storeKey;
            }

            @Override
            public T value() {
                return codec.read(current().get(storeKey()));
            }

            @Override
            public void update(T value) {
                write(storeKey(), value == null ? null : codec.write(value));
            }

            @Override
            public void clear() {
                write(storeKey(), null);
            }
        };
    }

    @Override
    public <V> MapState<V> map(String name, Class<V> type) {
        declare(name, true);
        ValueCodec<V> codec = new ValueCodec<>(type);
        return new MapState<>() {
            private String prefix() {
                return name + SEP + key + SEP;
            }

            @Override
            public V get(String entry) {
                return codec.read(current().get(prefix() + entry));
            }

            @Override
            public void put(String entry, V value) {
                write(prefix() + entry, value == null ? null : codec.write(value));
            }

            @Override
            public void remove(String entry) {
                write(prefix() + entry, null);
            }

            @Override
            public boolean contains(String entry) {
                return current().get(prefix() + entry) != null;
            }

            @Override
            public Map<String, V> entries() {
                Map<String, V> out = new LinkedHashMap<>();
                String prefix = prefix();
                current().scan(prefix, (k, v) -> out.put(k.substring(prefix.length()), codec.read(v)));
                return out;
            }

            @Override
            public boolean isEmpty() {
                boolean[] any = {false};
                current().scan(prefix(), (k, v) -> any[0] = true);
                return !any[0];
            }

            @Override
            public void clear() {
                List<String> keys = new ArrayList<>();
                current().scan(prefix(), (k, v) -> keys.add(k));
                keys.forEach(k -> write(k, null));
            }
        };
    }

    private void declare(String name, boolean isMap) {
        if (name == null || name.isEmpty() || name.indexOf(SEP) >= 0) {
            throw new IllegalArgumentException("a state needs a name without NUL characters, got '" + name + "'");
        }
        if (names.putIfAbsent(name, isMap) != null) {
            throw new IllegalArgumentException("state '" + name + "' is declared twice; give each state its own name");
        }
    }

    private KeyValueStore current() {
        if (store == null) {
            throw new IllegalStateException("state is read or written outside onEvent and onTimer: there is no key");
        }
        return store;
    }

    private void write(String storeKey, byte[] value) {
        KeyValueStore s = current();
        if (value == null) {
            s.delete(storeKey);
        } else {
            s.put(storeKey, value);
        }
        dirty.add(storeKey);
    }

    /** Hands every entry to {@code sink} as the changelog holds it. */
    public static void forEachEntry(List<Entry> entries, BiConsumer<byte[], byte[]> sink) {
        for (Entry e : entries) {
            byte[] value = null;
            if (e.value() != null) {
                value = Json.write(Map.of("v", Json.parseValue(e.value())));
            }
            sink.accept(Json.write(describeKey(e.key())), value);
        }
    }
}
