package dev.sluice.stream.state;

import java.util.Map;

/**
 * A map kept per key, with text keys: every call is about the map of the key of the event (or timer) being processed.
 * Values are stored as JSON, so a change is kept only through {@link #put}.
 */
public interface MapState<V> {
    /** The value under {@code name}, or null. */
    V get(String name);

    void put(String name, V value);

    void remove(String name);

    boolean contains(String name);

    /** A copy of the current key's map, in the order of its names. */
    Map<String, V> entries();

    boolean isEmpty();

    /** Removes the current key's whole map. */
    void clear();
}
