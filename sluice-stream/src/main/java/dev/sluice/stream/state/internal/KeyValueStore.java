package dev.sluice.stream.state.internal;

import java.util.function.BiConsumer;

/**
 * Where one partition's keyed state lives: values (JSON bytes) by text key, sorted, so the entries of one map can be
 * read by prefix. Owned by one thread.
 */
public interface KeyValueStore extends AutoCloseable {
    /** The value, or null. */
    byte[] get(String key);

    void put(String key, byte[] value);

    void delete(String key);

    /** Every entry whose key starts with {@code prefix}, in key order. */
    void scan(String prefix, BiConsumer<String, byte[]> entries);

    /** Entries held. */
    long size();

    @Override
    void close();
}
