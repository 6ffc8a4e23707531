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
 * no tombstones. Iteration is in table order, and fails if the table changes meanwhile. Not thread-safe.
 *
 * <p>Keys made to share a hash code ("Aa" and "BB" do) would make every probe walk all of them; a table that meets
 * more than {@value #MAX_EQUAL_HASHES} of them on one probe moves its entries into a {@link java.util.HashMap}, which
 * orders such keys in a tree.
 */
final class SlotTable<V> implements Iterable<V> {
    private static final int MIN_CAPACITY = 4;
    private static final int MAX_CAPACITY = 1 << 30;
    static final int MAX_EQUAL_HASHES = 64;

    private int[] hashes;
    private Object[] keys;
    private Object[] values;
    private int size;
    private int mask;
    private int changes;
    /** Where the entries are once too many keys shared a hash; null until then. */
    private java.util.HashMap<Object, V> fallback;

    /** A table for about {@code expected} keys before it grows. */
    SlotTable(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < expected * 2L && capacity < MAX_CAPACITY) { // at most half full
            capacity <<= 1;
        }
        allocate(capacity);
    }

    /** Whether the entries moved into a HashMap (too many keys shared a hash). */
    boolean inHashMap() {
        return fallback != null;
    }

    int size() {
        return fallback != null ? fallback.size() : size;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    @SuppressWarnings("unchecked")
    V get(Object key) {
        if (fallback != null) {
            return fallback.get(key);
        }
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
        if (fallback != null) {
            fallback.put(key, value);
            changes++;
            return;
        }
        int h = hash(key);
        int i = h & mask;
        int equalHashes = 0;
        for (; values[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h) {
                if (Objects.equals(keys[i], key)) {
                    values[i] = value;
                    return;
                }
                equalHashes++;
            }
        }
        if (equalHashes > MAX_EQUAL_HASHES) {
            fallBack();
            put(key, value);
            return;
        }
        if (size + 1 > MAX_CAPACITY / 2) {
            throw new IllegalStateException(
                    "a window holds " + size + " keys, more than a table can: use a shorter" + " window or fewer keys");
        }
        changes++;
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
        if (fallback != null) {
            changes++;
            return fallback.remove(key);
        }
        int h = hash(key);
        for (int i = h & mask; values[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && Objects.equals(keys[i], key)) {
                V old = (V) values[i];
                shiftBack(i);
                size--;
                changes++;
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

    /** Moves every entry into a HashMap, for good: its tree bins bear keys that share a hash. */
    @SuppressWarnings("unchecked")
    private void fallBack() {
        java.util.HashMap<Object, V> map = new java.util.HashMap<>((int) (size / 0.75f) + 1);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                map.put(keys[i], (V) values[i]);
            }
        }
        fallback = map;
        changes++;
        hashes = null;
        keys = null;
        values = null;
        size = 0;
    }

    @Override
    public Iterator<V> iterator() {
        if (fallback != null) {
            return java.util.Collections.unmodifiableCollection(fallback.values())
                    .iterator();
        }
        int expected = changes;
        Object[] cells = values;
        return new Iterator<>() {
            private int next = advance(0);

            private int advance(int from) {
                while (from < cells.length && cells[from] == null) {
                    from++;
                }
                return from;
            }

            @Override
            public boolean hasNext() {
                return next < cells.length;
            }

            @Override
            @SuppressWarnings("unchecked")
            public V next() {
                if (changes != expected) {
                    throw new java.util.ConcurrentModificationException("the window's table changed while iterated");
                }
                if (next >= cells.length) {
                    throw new NoSuchElementException();
                }
                V v = (V) cells[next];
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
    static int hash(Object key) {
        int h = Objects.hashCode(key) * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    @Override
    public String toString() {
        return fallback != null
                ? "SlotTable" + fallback.values()
                : "SlotTable"
                        + Arrays.toString(
                                Arrays.stream(values).filter(Objects::nonNull).toArray());
    }
}
