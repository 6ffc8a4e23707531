package dev.sluice.stream.state;

/** Where a {@link KeyedFunction} declares its state, by name, when it opens. */
public interface StateStores {
    /** @param type the class values are read back as (from JSON): {@code Long.class}, a record, ... */
    <T> ValueState<T> value(String name, Class<T> type);

    /** @param type the class values are read back as (from JSON) */
    <V> MapState<V> map(String name, Class<V> type);
}
