package dev.sluice.stream.state.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * A {@link KeyValueStore} in a file, with a bounded cache of its pages in memory: state larger than the heap spills to
 * disk. The file is only a working copy (the changelog topic is what restores state), so it lives in a temporary
 * directory and is deleted on close. Built on H2's MVStore (a log-structured B-tree in pure Java: no native library).
 */
public final class DiskStore implements KeyValueStore {
    private final Path file;
    private final MVStore store;
    private final MVMap<String, byte[]> entries;

    /** @param cacheMb memory for cached pages; the rest stays on disk */
    public DiskStore(int cacheMb) {
        try {
            this.file = Files.createTempFile("sluice-state-", ".mv.db");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create a file for state in " + System.getProperty("java.io.tmpdir"), e);
        }
        this.store = new MVStore.Builder()
                .fileName(file.toString())
                .cacheSize(cacheMb)
                .compress()
                .open();
        this.entries = store.openMap("state");
    }

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
        Cursor<String, byte[]> cursor = entries.cursor(prefix);
        while (cursor.hasNext()) {
            String key = cursor.next();
            if (!key.startsWith(prefix)) {
                return;
            }
            out.accept(key, cursor.getValue());
        }
    }

    @Override
    public long size() {
        return entries.sizeAsLong();
    }

    @Override
    public void close() {
        store.closeImmediately(); // nothing to keep: the changelog restores the state
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind; the system's temporary directory cleanup takes it
        }
    }
}
