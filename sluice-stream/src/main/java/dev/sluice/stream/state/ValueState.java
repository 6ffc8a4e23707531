package dev.sluice.stream.state;

/**
 * One value kept per key: what {@link #value()} returns belongs to the key of the event (or timer) being processed.
 * Values are stored as JSON, so a change is kept only through {@link #update}: changing a returned object does not
 * change the state.
 */
public interface ValueState<T> {
    /** The current key's value, or null if it has none. */
    T value();

    void update(T value);

    void clear();
}
