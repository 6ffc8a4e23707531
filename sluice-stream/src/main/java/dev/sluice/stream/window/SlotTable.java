package dev.sluice.stream.window;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The state of one window by key: a hash table with open addressing (linear probing) over three arrays, the keys'
 * hashes, the keys and the values, instead of a {@link java.util.HashMap}'s entry object per key. A window over a
 * million keys then holds a million fewer objects for the garbage collector to copy while they live, and a lookup that
 * misses compares hashes in one array before it touches a key. Removal shifts the entries after it back, so there are
 * no tombstones. Iteration is in table order. Not thread-safe.
 */
final class SlotTable<V> implements Iterable<V> {
    private static final int MIN_CAPACITY = 16;

    private int[] hashes;
    private Object[] keys;
    private Object[] values;
    private int size;
    private int mask;

    /** A table for about {@code expected} keys before it grows. */
    SlotTable(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < expected * 2L && capacity < 1 << 30) { // at most half full
            capacity <<= 1;
        }
        allocate(capacity);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    V get(Object key) {
        int h = hash(key);
        for (int i = h & mask; values[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && Objects.equals(keys[i], key)) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Maps {@code key} to {@code value} (not null), replacing what it had. */
    void put(Object key, V value) {
        Objects.requireNonNull(value, "value");
        int h = hash(key);
        int i = h & mask;
        for (; values[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && Objects.equals(keys[i], key)) {
                values[i] = value;
                return;
            }
        }
        hashes[i] = h;
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > values.length) {
            grow();
        }
    }

    /** Removes {@code key}, giving its value, or null if it had none. */
    @SuppressWarnings("unchecked")
    V remove(Object key) {
        int h = hash(key);
        for (int i = h & mask; values[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && Objects.equals(keys[i], key)) {
                V old = (V) values[i];
                shiftBack(i);
                size--;
                return old;
            }
        }
        return null;
    }

    /** Empties slot {@code gap}, moving back each entry after it that may not sit beyond the gap. */
    private void shiftBack(int gap) {
        int i = gap;
        while (true) {
            i = (i + 1) & mask;
            if (values[i] == null) {
                break;
            }
            int home = hashes[i] & mask;
            // the entry at i may fill the gap if its home is not in (gap, i], cyclically
            boolean stays = gap <= i ? gap < home && home <= i : gap < home || home <= i;
            if (!stays) {
                hashes[gap] = hashes[i];
                keys[gap] = keys[i];
                values[gap] = values[i];
                gap = i;
            }
        }
        keys[gap] = null;
        values[gap] = null;
    }

    @Override
    public Iterator<V> iterator() {
        return new Iterator<>() {
            private int next = advance(0);

            private int advance(int from) {
                while (from < values.length && values[from] == null) {
                    from++;
                }
                return from;
            }

            @Override
            public boolean hasNext() {
                return next < values.length;
            }

            @Override
            @SuppressWarnings("unchecked")
            public V next() {
                if (next >= values.length) {
                    throw new NoSuchElementException();
                }
                V v = (V) values[next];
                next = advance(next + 1);
                return v;
            }
        };
    }

    private void grow() {
        int[] oldHashes = hashes;
        Object[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(oldValues.length * 2);
        for (int j = 0; j < oldValues.length; j++) {
            if (oldValues[j] != null) {
                int i = oldHashes[j] & mask;
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                hashes[i] = oldHashes[j];
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private void allocate(int capacity) {
        hashes = new int[capacity];
        keys = new Object[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    /** The key's hash, its bits spread so that keys whose hashes differ only high up do not share a home. */
    private static int hash(Object key) {
        int h = Objects.hashCode(key) * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    @Override
    public String toString() {
        return "SlotTable"
                + Arrays.toString(Arrays.stream(values).filter(Objects::nonNull).toArray());
    }
}
