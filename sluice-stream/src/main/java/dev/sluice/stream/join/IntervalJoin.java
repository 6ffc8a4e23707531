package dev.sluice.stream.join;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Joins the events of two streams that have the same key and event times at most {@code withinMs} apart, for one
 * partition's state. Each event is held until no event still to come can match it: events at or after the watermark
 * are on time, so an event at {@code t} is let go once the watermark passes {@code t + withinMs}; an event behind the
 * watermark is late (its matches may be gone) and is refused. A pair comes out as soon as its second event arrives; in
 * a left join, an event of this stream that matched nothing comes out alone when it is let go.
 *
 * <p>What changed since the last {@link #takeChanges} is kept for checkpoints. Owned by one thread; held events are
 * not changed after they are added, so the changes can be read on another thread.
 */
public final class IntervalJoin {
    /** Which stream an event comes from: the stage's own input, or the stream it is joined with. */
    public enum Side {
        THIS,
        OTHER
    }

    /**
     * An event held for matching.
     *
     * @param id unique among held events (where it was read: {@code topic/partition/offset})
     * @param fields not changed after the event is held
     */
    public record Held(String id, Side side, String key, long time, Map<String, Object> fields) {}

    /** A match, or an event of this stream that found none ({@code other} null). */
    public record Pair(Held self, Held other) {}

    /** A change to the held events: one added, matched for the first time, or let go ({@code held} null). */
    public record Change(String id, Held held, boolean matched) {}

    private final long withinMs;
    private final boolean emitUnmatched;
    private final Map<String, List<Held>> byKey = new HashMap<>();
    private final PriorityQueue<Held> byTime = new PriorityQueue<>(Comparator.comparingLong(Held::time));
    /** Events of this stream that have matched something, by id. */
    private final Set<String> matched = new HashSet<>();

    private final Map<String, Change> changes = new HashMap<>();

    /** @param emitUnmatched a left join: events of this stream that match nothing come out alone */
    public IntervalJoin(long withinMs, boolean emitUnmatched) {
        if (withinMs < 0) {
            throw new IllegalArgumentException("within must be >= 0, got " + withinMs);
        }
        this.withinMs = withinMs;
        this.emitUnmatched = emitUnmatched;
    }

    /**
     * Matches an event with the held events of the other stream, hands each pair to {@code out}, and holds it.
     *
     * @return false, holding nothing, if the event is behind the watermark
     */
    public boolean add(Held event, long watermark, Consumer<Pair> out) {
        if (event.time() < watermark) {
            return false;
        }
        List<Held> sameKey = byKey.computeIfAbsent(event.key(), k -> new ArrayList<>(2));
        boolean found = false;
        for (Held o : sameKey) {
            if (o.side() != event.side() && Math.abs(o.time() - event.time()) <= withinMs) {
                found = true;
                if (event.side() == Side.THIS) {
                    out.accept(new Pair(event, o));
                } else {
                    out.accept(new Pair(o, event));
                    markMatched(o);
                }
            }
        }
        hold(event, found && event.side() == Side.THIS);
        changes.put(event.id(), new Change(event.id(), event, isMatched(event)));
        return true;
    }

    /** Lets go of the events no event still to come can match; in a left join, unmatched ones of this stream come out. */
    public void advance(long watermark, Consumer<Pair> out) {
        while (!byTime.isEmpty() && byTime.peek().time() + withinMs < watermark) {
            Held h = byTime.poll();
            List<Held> sameKey = byKey.get(h.key());
            sameKey.removeIf(x -> x == h); // by identity: held events may be equal
            if (sameKey.isEmpty()) {
                byKey.remove(h.key());
            }
            boolean wasMatched = matched.remove(h.id());
            changes.put(h.id(), new Change(h.id(), null, false));
            if (emitUnmatched && h.side() == Side.THIS && !wasMatched) {
                out.accept(new Pair(h, null));
            }
        }
    }

    /**
     * The input has ended: in a left join, every held event of this stream that has matched nothing comes out alone
     * now, and counts as matched from then on, so it does not come out again when it is let go; a match that a later
     * run brings still comes out. Nothing is let go.
     */
    public void emitUnmatched(Consumer<Pair> out) {
        if (!emitUnmatched) {
            return;
        }
        List<Held> unmatched = new ArrayList<>();
        for (Held h : byTime) {
            if (h.side() == Side.THIS && !matched.contains(h.id())) {
                unmatched.add(h);
            }
        }
        unmatched.sort(Comparator.comparingLong(Held::time));
        for (Held h : unmatched) {
            out.accept(new Pair(h, null));
            markMatched(h);
        }
    }

    /** What changed since the last call: each held event's last change. */
    public List<Change> takeChanges() {
        List<Change> out = new ArrayList<>(changes.values());
        changes.clear();
        return out;
    }

    /** Every held event as a change that adds it, as {@link #restore} takes them back. */
    public List<Change> all() {
        List<Change> out = new ArrayList<>(byTime.size());
        for (Held h : byTime) {
            out.add(new Change(h.id(), h, isMatched(h)));
        }
        return out;
    }

    /** Holds an event again, as a checkpoint kept it. */
    public void restore(Held event, boolean wasMatched) {
        hold(event, wasMatched);
    }

    /** The held events with this key. */
    public List<Held> heldFor(String key) {
        return List.copyOf(byKey.getOrDefault(key, List.of()));
    }

    public int size() {
        return byTime.size();
    }

    public boolean isMatched(Held event) {
        return matched.contains(event.id());
    }

    private void hold(Held event, boolean wasMatched) {
        byKey.computeIfAbsent(event.key(), k -> new ArrayList<>(2)).add(event);
        byTime.add(event);
        if (wasMatched) {
            matched.add(event.id());
        }
    }

    private void markMatched(Held event) {
        if (matched.add(event.id())) {
            changes.put(event.id(), new Change(event.id(), event, true));
        }
    }
}
