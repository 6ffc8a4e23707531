package dev.sluice.stream.window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Keyed aggregations over event-time windows. Events go in with their key, event time and fields. A window's result
 * comes out once the watermark reaches its end; a late event within {@code latenessMs} of that changes the result and
 * it comes out again, marked as an update. An event whose windows all closed longer ago than that is refused (to go to
 * the late-events topic). State is held per key and window until the watermark passes the window's end plus the
 * lateness. Owned by one thread.
 */
public final class WindowOperator {
    /**
     * A window's result.
     *
     * @param update true when an earlier result of the same key and window is replaced
     */
    public record Result(Object key, Window window, Map<String, Object> values, boolean update) {}

    private static final class Slot {
        final Accumulator[] accumulators;
        boolean emitted;

        Slot(Accumulator[] accumulators) {
            this.accumulators = accumulators;
        }
    }

    private record SlotKey(Object key, Window window) {}

    private final Windowing windowing;
    private final long latenessMs;
    private final List<Aggregation> aggregations;
    /** Every live slot, by window end then key, so closing walks the front. */
    private final TreeMap<Window, Map<Object, Slot>> byWindow = new TreeMap<>();
    /** Session windows of each key, by start. */
    private final Map<Object, TreeMap<Long, Window>> sessions = new HashMap<>();

    public WindowOperator(Windowing windowing, long latenessMs, List<Aggregation> aggregations) {
        if (latenessMs < 0) {
            throw new IllegalArgumentException("lateness must be >= 0, got " + latenessMs + " ms");
        }
        this.windowing = windowing;
        this.latenessMs = latenessMs;
        this.aggregations = List.copyOf(aggregations);
    }

    /**
     * Adds an event at {@code watermark}; results of closed windows it changes are handed to {@code out} at once.
     *
     * @return false if it is too late for every window it belongs to (nothing was changed)
     */
    public boolean add(Object key, long timestamp, Map<String, Object> fields, long watermark, Consumer<Result> out) {
        if (windowing instanceof Windowing.Session s) {
            return addToSession(key, timestamp, fields, watermark, out, s.gap());
        }
        boolean taken = false;
        for (Window w : windowing.assign(timestamp)) {
            if (expired(w, watermark)) {
                continue;
            }
            Slot slot = slot(key, w);
            accumulate(slot, timestamp, fields);
            taken = true;
            if (closed(w, watermark)) {
                emit(key, w, slot, out);
            }
        }
        return taken;
    }

    private boolean addToSession(
            Object key, long timestamp, Map<String, Object> fields, long watermark, Consumer<Result> out, long gap) {
        Window merged = new Window(timestamp, timestamp + gap);
        if (expired(merged, watermark)) {
            return false;
        }
        TreeMap<Long, Window> mine = sessions.computeIfAbsent(key, k -> new TreeMap<>());
        Slot slot = new Slot(newAccumulators());
        boolean emittedBefore = false;
        for (Iterator<Window> it = mine.values().iterator(); it.hasNext(); ) {
            Window w = it.next();
            if (w.start() < merged.end() && merged.start() < w.end()) {
                merged = new Window(Math.min(w.start(), merged.start()), Math.max(w.end(), merged.end()));
                Slot old = remove(key, w);
                emittedBefore |= old.emitted;
                for (int i = 0; i < aggregations.size(); i++) {
                    slot.accumulators[i].merge(old.accumulators[i]);
                }
                it.remove();
            }
        }
        accumulate(slot, timestamp, fields);
        slot.emitted = emittedBefore;
        mine.put(merged.start(), merged);
        byWindow.computeIfAbsent(merged, w -> new LinkedHashMap<>()).put(key, slot);
        if (closed(merged, watermark)) {
            emit(key, merged, slot, out);
        }
        return true;
    }

    /** Emits every window the watermark has reached, and forgets those past their lateness. */
    public void advance(long watermark, Consumer<Result> out) {
        List<SlotKey> expired = new ArrayList<>();
        for (Map.Entry<Window, Map<Object, Slot>> e : byWindow.entrySet()) {
            Window w = e.getKey();
            if (!closed(w, watermark)) {
                break;
            }
            for (Map.Entry<Object, Slot> s : e.getValue().entrySet()) {
                if (!s.getValue().emitted) {
                    emit(s.getKey(), w, s.getValue(), out);
                }
                if (expired(w, watermark)) {
                    expired.add(new SlotKey(s.getKey(), w));
                }
            }
        }
        for (SlotKey k : expired) {
            remove(k.key(), k.window());
            TreeMap<Long, Window> mine = sessions.get(k.key());
            if (mine != null) {
                mine.remove(k.window().start());
                if (mine.isEmpty()) {
                    sessions.remove(k.key());
                }
            }
        }
    }

    /** Keys and windows held now. */
    public int size() {
        return byWindow.values().stream().mapToInt(Map::size).sum();
    }

    private Slot slot(Object key, Window w) {
        return byWindow.computeIfAbsent(w, x -> new LinkedHashMap<>())
                .computeIfAbsent(key, k -> new Slot(newAccumulators()));
    }

    private Slot remove(Object key, Window w) {
        Map<Object, Slot> slots = byWindow.get(w);
        Slot s = slots.remove(key);
        if (slots.isEmpty()) {
            byWindow.remove(w);
        }
        return s;
    }

    private Accumulator[] newAccumulators() {
        Accumulator[] a = new Accumulator[aggregations.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = aggregations.get(i).newAccumulator();
        }
        return a;
    }

    private void accumulate(Slot slot, long timestamp, Map<String, Object> fields) {
        for (int i = 0; i < aggregations.size(); i++) {
            String field = aggregations.get(i).field();
            slot.accumulators[i].add(field == null ? Boolean.TRUE : fields.get(field), timestamp);
        }
    }

    private void emit(Object key, Window w, Slot slot, Consumer<Result> out) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < aggregations.size(); i++) {
            values.put(aggregations.get(i).output(), slot.accumulators[i].result());
        }
        out.accept(new Result(key, w, values, slot.emitted));
        slot.emitted = true;
    }

    private static boolean closed(Window w, long watermark) {
        return watermark >= w.end();
    }

    private boolean expired(Window w, long watermark) {
        return watermark != Watermarks.NONE && watermark - w.end() >= latenessMs;
    }
}
