package dev.sluice.stream.window;

/** The running state of one aggregation over one window of one key. Owned by one thread. */
public interface Accumulator {
    /** Adds an event's value (null when the field is missing: counted by count(), skipped by the rest). */
    void add(Object value, long timestamp);

    /** Folds another accumulator of the same aggregation in (session windows merging). */
    void merge(Accumulator other);

    /** The current result: a number, a value, or a list. */
    Object result();

    /** The state as a JSON value (numbers, text, lists, maps), for checkpoints. */
    Object save();

    /** Replaces the state with one {@link #save} returned (after a round trip through JSON). */
    void load(Object saved);
}
