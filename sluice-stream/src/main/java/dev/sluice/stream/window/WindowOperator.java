package dev.sluice.stream.window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keyed aggregations over event-time windows. Events go in with their key, event time and fields. A window's result
 * comes out once the watermark reaches its end; a late event within {@code latenessMs} of that changes the result and
 * it comes out again, marked as an update. An event whose windows all closed longer ago than that is refused (to go to
 * the late-events topic). State is held per key and window until the watermark passes the window's end plus the
 * lateness. Owned by one thread.
 */
public final class WindowOperator {
    /** What a result is: the first when its window closes, a later one changed by a late event, or an early one. */
    public enum Kind {
        FINAL,
        UPDATE,
        EARLY;

        private final String label = name().toLowerCase(java.util.Locale.ROOT);

        public String label() {
            return label;
        }
    }

    /** A window's result for one key. */
    public record Result(Object key, Window window, Map<String, Object> values, Kind kind) {
        /** True when an earlier closed result of the same key and window is replaced. */
        public boolean update() {
            return kind == Kind.UPDATE;
        }
    }

    /**
     * The state of one key and window. The epoch fields serve snapshots: the snapshot a slot last changed in, the one
     * it was saved for, and the one it was removed in (-1 for none).
     */
    private static final class Slot {
        final Object key;
        final Window window;
        /** The one aggregation's accumulator, or null when there are several (then in {@link #several}). */
        final Accumulator single;

        final Accumulator[] several;
        /** A final result has come out (a later one is an update). */
        boolean emitted;
        /** Changed since the last final or updated result: it is due when the window closes. */
        boolean unreported;
        /** Changed since the last early result. */
        boolean fresh;

        int changedIn = -1;
        int savedFor = -1;
        int removedIn = -1;
        /** The epoch an event created it in; -1 when it was restored (the changelog may hold it). */
        int createdIn = -1;

        Slot(Object key, Window window, Accumulator[] accumulators) {
            this.key = key;
            this.window = window;
            // one aggregation, the common case: no array, one object less to reach and to collect per key and window
            this.single = accumulators.length == 1 ? accumulators[0] : null;
            this.several = accumulators.length == 1 ? null : accumulators;
        }

        Accumulator accumulator(int i) {
            return single != null ? single : several[i];
        }
    }

    /**
     * Makes the map a result's values go into, holding what is to come before them (the key's fields and the window's
     * times, for a step that emits them as an event's fields): one map a result, not one made here and copied there.
     */
    @FunctionalInterface
    public interface ResultMaps {
        Map<String, Object> start(Object key, Window window);
    }

    /** A key's window: what state is held by. */
    public record SlotKey(Object key, Window window) {}

    /** Receives slots of a snapshot: the saved state, or null for one removed. */
    @FunctionalInterface
    public interface ChangeSink {
        void accept(SlotKey slot, Object saved);
    }

    /**
     * What changed in the state up to a moment, to be written out later, possibly on another thread, while the
     * operator goes on: the first change after the moment to a slot not written out yet saves that slot's value as it
     * was (copy on write). Taking it costs no more than swapping two lists.
     */
    public final class Snapshot {
        private final int epoch;
        private final List<Slot> changed;
        private final List<SlotKey> removed;
        private final ConcurrentHashMap<Slot, Object> savedEarly = new ConcurrentHashMap<>();
        private volatile boolean finished;

        private Snapshot(int epoch, List<Slot> changed, List<SlotKey> removed) {
            this.epoch = epoch;
            this.changed = changed;
            this.removed = removed;
        }

        /** Slots changed since the previous snapshot. */
        public int size() {
            return changed.size() + removed.size();
        }

        /** Hands every removed slot (null), then every changed one as it was at the snapshot; once. Any thread. */
        public void forEach(ChangeSink sink) {
            for (SlotKey k : removed) {
                sink.accept(k, null);
            }
            for (Slot slot : changed) {
                Object saved;
                synchronized (slot) {
                    if (slot.removedIn != -1 && slot.removedIn <= epoch) {
                        continue; // removed before the snapshot: among the removed
                    }
                    saved = slot.savedFor == epoch ? savedEarly.remove(slot) : save(slot);
                    slot.savedFor = epoch;
                }
                sink.accept(new SlotKey(slot.key, slot.window), saved);
            }
            finished = true;
        }

        /** Called on the operator's thread before a slot changes. */
        private void beforeChange(Slot slot) {
            if (!finished && slot.changedIn == epoch && slot.savedFor != epoch) {
                synchronized (slot) {
                    if (slot.savedFor != epoch) {
                        savedEarly.put(slot, save(slot));
                        slot.savedFor = epoch;
                    }
                }
            }
        }
    }

    private final Windowing windowing;
    private final long latenessMs;
    private final List<Aggregation> aggregations;
    /** Every live slot, by window end then key, so closing walks the front. */
    private final TreeMap<Window, SlotTable<Slot>> byWindow = new TreeMap<>();

    private final boolean trackChanges;
    private final ResultMaps resultMaps;
    /** The current snapshot epoch, the slots changed in it, and the slots removed in it (when changes are tracked). */
    private int epoch;

    private List<Slot> changed = new ArrayList<>();
    private List<SlotKey> removed = new ArrayList<>();
    /** The latest snapshot, until it has been written out. */
    private Snapshot pending;
    /** The window {@link #slot} found last and its slots, while {@link #byWindow} holds them; and the last assignment. */
    private Window lastWindow;

    private SlotTable<Slot> lastSlots;
    private List<Window> lastAssigned;
    /** Session windows of each key, by start. */
    private final Map<Object, TreeMap<Long, Window>> sessions = new HashMap<>();
    /**
     * Sliding windows: the events of each key, merged per millisecond ("panes", held as one-millisecond slots), by
     * time. A window's result is the merge of the panes it spans, made when it is emitted.
     */
    private final Map<Object, TreeMap<Long, Slot>> panes = new HashMap<>();

    public WindowOperator(Windowing windowing, long latenessMs, List<Aggregation> aggregations) {
        this(windowing, latenessMs, aggregations, false);
    }

    /**
     * @param trackChanges remember which slots changed, for {@link #snapshot} (checkpoints)
     */
    public WindowOperator(Windowing windowing, long latenessMs, List<Aggregation> aggregations, boolean trackChanges) {
        this(windowing, latenessMs, aggregations, trackChanges, null);
    }

    /**
     * @param resultMaps the maps results' values go into; null for maps of the values alone
     */
    public WindowOperator(
            Windowing windowing,
            long latenessMs,
            List<Aggregation> aggregations,
            boolean trackChanges,
            ResultMaps resultMaps) {
        if (latenessMs < 0) {
            throw new IllegalArgumentException("lateness must be >= 0, got " + latenessMs + " ms");
        }
        this.windowing = windowing;
        this.latenessMs = latenessMs;
        this.aggregations = List.copyOf(aggregations);
        this.trackChanges = trackChanges;
        int size = 2 * this.aggregations.size();
        this.resultMaps = resultMaps != null ? resultMaps : (key, window) -> new LinkedHashMap<>(size);
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
        if (windowing instanceof Windowing.Sliding s) {
            return addToSliding(key, timestamp, fields, watermark, out, s.size());
        }
        boolean taken = false;
        for (Window w : assign(timestamp)) {
            if (expired(w, watermark)) {
                continue;
            }
            Slot slot = slot(key, w);
            beforeChange(slot);
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
        List<Slot> merging = new ArrayList<>();
        for (Iterator<Window> it = mine.values().iterator(); it.hasNext(); ) {
            Window w = it.next();
            if (w.start() < merged.end() && merged.start() < w.end()) {
                merged = new Window(Math.min(w.start(), merged.start()), Math.max(w.end(), merged.end()));
                merging.add(remove(key, w));
                it.remove();
            }
        }
        Slot slot = newSlot(key, merged);
        beforeChange(slot);
        for (Slot old : merging) {
            slot.emitted |= old.emitted;
            for (int i = 0; i < aggregations.size(); i++) {
                slot.accumulator(i).merge(old.accumulator(i));
            }
        }
        accumulate(slot, timestamp, fields);
        mine.put(merged.start(), merged);
        byWindow.computeIfAbsent(merged, w -> newWindowMap()).put(key, slot);
        if (closed(merged, watermark)) {
            emit(key, merged, slot, out);
        }
        return true;
    }

    /**
     * An event's pane. Too late when its own window is past its lateness (the later windows that hold it then are not
     * yet). When it comes after its window closed, that window's result comes out (updated, if it had come out), and so
     * do the later ones of its key it changes.
     */
    private boolean addToSliding(
            Object key, long timestamp, Map<String, Object> fields, long watermark, Consumer<Result> out, long size) {
        if (expired(new Window(timestamp + 1 - size, timestamp + 1), watermark)) {
            return false;
        }
        Window at = new Window(timestamp, timestamp + 1);
        Slot pane = slot(key, at);
        panes.computeIfAbsent(key, k -> new TreeMap<>()).putIfAbsent(timestamp, pane);
        beforeChange(pane);
        accumulate(pane, timestamp, fields);
        boolean closed = closed(at, watermark);
        if (closed) {
            emitSliding(pane, size, out);
        }
        for (Slot later :
                panes.get(key).subMap(timestamp, false, timestamp + size, false).values()) {
            if (!later.emitted || expired(slidingWindow(later, size), watermark)) {
                continue;
            }
            if (closed(later.window, watermark)) {
                emitSliding(later, size, out);
            } else { // came out at the end of a bounded input: it comes out again when it closes
                beforeChange(later);
                later.unreported = true;
            }
        }
        return true;
    }

    private static Window slidingWindow(Slot pane, long size) {
        return new Window(pane.window.start() + 1 - size, pane.window.end());
    }

    /** The result of the sliding window that ends with this pane: its panes merged. */
    private Map<String, Object> slidingValues(Slot pane, long size) {
        Accumulator[] merged = newAccumulators();
        long t = pane.window.start();
        for (Slot p : panes.get(pane.key).subMap(t - size, false, t, true).values()) {
            for (int i = 0; i < merged.length; i++) {
                merged[i].merge(p.accumulator(i));
            }
        }
        Map<String, Object> values = resultMaps.start(pane.key, slidingWindow(pane, size));
        for (int i = 0; i < aggregations.size(); i++) {
            values.put(aggregations.get(i).output(), merged[i].result());
        }
        return values;
    }

    private void emitSliding(Slot pane, long size, Consumer<Result> out) {
        out.accept(new Result(
                pane.key,
                slidingWindow(pane, size),
                slidingValues(pane, size),
                pane.emitted ? Kind.UPDATE : Kind.FINAL));
        reported(pane);
    }

    /** Emits every window the watermark has reached, and forgets those past their lateness. */
    public void advance(long watermark, Consumer<Result> out) {
        if (windowing instanceof Windowing.Sliding sliding) {
            advanceSliding(watermark, out, sliding.size());
            return;
        }
        for (Iterator<Map.Entry<Window, SlotTable<Slot>>> it =
                        byWindow.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Window, SlotTable<Slot>> e = it.next();
            Window w = e.getKey();
            if (!closed(w, watermark)) {
                break;
            }
            for (Slot s : e.getValue()) {
                if (s.unreported) {
                    emit(s.key, w, s, out);
                }
            }
            if (expired(w, watermark)) { // every key's state of the window goes at once
                for (Slot s : e.getValue()) {
                    noteRemoved(s);
                    TreeMap<Long, Window> mine = sessions.get(s.key);
                    if (mine != null) {
                        mine.remove(w.start());
                        if (mine.isEmpty()) {
                            sessions.remove(s.key);
                        }
                    }
                }
                it.remove();
                forgetLastWindow();
            }
        }
    }

    /** {@link #byWindow} lost a window: the cached one may be it. */
    private void forgetLastWindow() {
        lastWindow = null;
        lastSlots = null;
    }

    private void advanceSliding(long watermark, Consumer<Result> out, long size) {
        List<SlotKey> expired = new ArrayList<>();
        for (Map.Entry<Window, SlotTable<Slot>> e : byWindow.entrySet()) {
            Window w = e.getKey();
            if (!closed(w, watermark)) {
                break;
            }
            for (Slot pane : e.getValue()) {
                if (pane.unreported) {
                    emitSliding(pane, size, out);
                }
                // a pane is kept while a late event could still make a window that spans it
                if (expired(new Window(w.start(), w.start() + size), watermark)) {
                    expired.add(new SlotKey(pane.key, w));
                }
            }
        }
        for (SlotKey k : expired) {
            remove(k.key(), k.window());
            TreeMap<Long, Slot> keyPanes = panes.get(k.key());
            keyPanes.remove(k.window().start());
            if (keyPanes.isEmpty()) {
                panes.remove(k.key());
            }
        }
    }

    /**
     * Emits the current result of every window that is still open and changed since its last early result, marked
     * {@link Kind#EARLY}, for dashboards that cannot wait for the window to close.
     */
    public void emitEarly(long watermark, Consumer<Result> out) {
        if (windowing instanceof Windowing.Sliding) {
            return; // a sliding window ends with its event: nothing is open to report early
        }
        for (Map.Entry<Window, SlotTable<Slot>> e : byWindow.descendingMap().entrySet()) {
            if (closed(e.getKey(), watermark)) {
                break;
            }
            for (Slot s : e.getValue()) {
                if (s.fresh) {
                    out.accept(new Result(s.key, e.getKey(), values(s), Kind.EARLY));
                    s.fresh = false;
                }
            }
        }
    }

    /**
     * The input has ended: emits the result of every window not out yet, or changed since it came out, as if the
     * watermark had passed them all ({@link Kind#FINAL}, or {@link Kind#UPDATE} for one out before), but keeps their
     * state as it is: a window still open in event time stays open, and an event for it that comes later (a run over
     * more of the input) changes it and makes it come out again when it closes.
     */
    public void emitOpen(Consumer<Result> out) {
        Long size = windowing instanceof Windowing.Sliding sliding ? sliding.size() : null;
        for (Map.Entry<Window, SlotTable<Slot>> e : byWindow.entrySet()) {
            for (Slot s : e.getValue()) {
                if (!s.unreported) {
                    continue;
                }
                if (size != null) {
                    emitSliding(s, size, out);
                } else {
                    emit(s.key, e.getKey(), s, out);
                }
            }
        }
    }

    /**
     * Takes what changed since the previous snapshot, as of now. The previous one must have been written out ({@link
     * Snapshot#forEach}) first.
     */
    public Snapshot snapshot() {
        if (!trackChanges) {
            throw new IllegalStateException("this operator does not track changes");
        }
        if (pending != null && !pending.finished) {
            throw new IllegalStateException("the previous snapshot has not been written out yet");
        }
        pending = new Snapshot(epoch, changed, removed);
        epoch++;
        changed = new ArrayList<>();
        removed = new ArrayList<>();
        return pending;
    }

    /** Hands every slot changed since the previous snapshot to {@code sink} at once (saved, or null if removed). */
    public void drainChanges(ChangeSink sink) {
        snapshot().forEach(sink);
    }

    /** Every slot held, saved, as {@link #drainChanges} would hand them. */
    public void saveAll(ChangeSink sink) {
        byWindow.forEach((w, slots) -> slots.forEach(s -> sink.accept(new SlotKey(s.key, w), save(s))));
    }

    /** Puts back a slot saved by {@link #drainChanges} or {@link #saveAll}. */
    public void restore(SlotKey k, Object saved) {
        List<?> parts = (List<?>) saved;
        Slot slot = new Slot(k.key(), k.window(), newAccumulators());
        List<?> states = (List<?>) parts.get(0);
        for (int i = 0; i < aggregations.size(); i++) {
            slot.accumulator(i).load(states.get(i));
        }
        slot.emitted = (Boolean) parts.get(1);
        slot.unreported = parts.size() > 2 ? (Boolean) parts.get(2) : !slot.emitted;
        byWindow.computeIfAbsent(k.window(), w -> newWindowMap()).put(k.key(), slot);
        if (windowing instanceof Windowing.Session) {
            sessions.computeIfAbsent(k.key(), x -> new TreeMap<>())
                    .put(k.window().start(), k.window());
        }
        if (windowing instanceof Windowing.Sliding) {
            panes.computeIfAbsent(k.key(), x -> new TreeMap<>()).put(k.window().start(), slot);
        }
    }

    private Object save(Slot s) {
        List<Object> states = new ArrayList<>(aggregations.size());
        for (int i = 0; i < aggregations.size(); i++) {
            states.add(s.accumulator(i).save());
        }
        // the third element only when it says more than the second: a change after a result that came out at the end
        // of a bounded input, still to come out as an update
        return s.emitted && s.unreported ? List.of(states, true, true) : List.of(states, s.emitted);
    }

    /** Keeps a slot's value for the pending snapshot if it needs it, and notes the slot as changed. */
    private void beforeChange(Slot slot) {
        if (!trackChanges) {
            return;
        }
        if (pending != null) {
            pending.beforeChange(slot);
        }
        if (slot.changedIn != epoch) {
            slot.changedIn = epoch;
            changed.add(slot);
        }
    }

    /**
     * The current result of every window held for a key: {@link Kind#FINAL} for a window already emitted (closed, kept
     * for late events), {@link Kind#EARLY} for one still open. Oldest window first.
     */
    public List<Result> resultsFor(Object key) {
        List<Result> out = new ArrayList<>();
        byWindow.forEach((w, slots) -> {
            Slot s = slots.get(key);
            if (s != null && windowing instanceof Windowing.Sliding sliding) {
                out.add(new Result(
                        key,
                        slidingWindow(s, sliding.size()),
                        slidingValues(s, sliding.size()),
                        s.emitted ? Kind.FINAL : Kind.EARLY));
            } else if (s != null) {
                out.add(new Result(key, w, values(s), s.emitted ? Kind.FINAL : Kind.EARLY));
            }
        });
        return out;
    }

    /** Keys and windows held now. */
    public int size() {
        return byWindow.values().stream().mapToInt(SlotTable::size).sum();
    }

    /** The windows of an event; a tumbling one's as a list kept while its events come (most come in order). */
    private List<Window> assign(long timestamp) {
        if (windowing instanceof Windowing.Tumbling) {
            if (lastAssigned == null || !lastAssigned.get(0).contains(timestamp)) {
                lastAssigned = windowing.assign(timestamp);
            }
            return lastAssigned;
        }
        return windowing.assign(timestamp);
    }

    private Slot slot(Object key, Window w) {
        SlotTable<Slot> slots;
        if (w.equals(lastWindow)) { // the window of the last event, as a rule: no tree lookup
            slots = lastSlots;
        } else {
            slots = byWindow.computeIfAbsent(w, x -> newWindowMap());
            lastWindow = w;
            lastSlots = slots;
        }
        Slot slot = slots.get(key);
        if (slot == null) {
            slot = newSlot(key, w);
            slots.put(key, slot);
        }
        return slot;
    }

    private Slot newSlot(Object key, Window w) {
        Slot slot = new Slot(key, w, newAccumulators());
        slot.createdIn = epoch;
        return slot;
    }

    private Slot remove(Object key, Window w) {
        SlotTable<Slot> slots = byWindow.get(w);
        Slot s = slots.remove(key);
        if (slots.isEmpty()) {
            byWindow.remove(w);
            forgetLastWindow();
        }
        noteRemoved(s);
        return s;
    }

    /**
     * Notes a slot that goes, for the next snapshot: its removal, unless no snapshot can have held it (an event
     * created it after the last one), so the changelog gets no deletion of what it never had.
     */
    private void noteRemoved(Slot s) {
        if (trackChanges) {
            beforeChange(s);
            synchronized (s) {
                s.removedIn = epoch;
            }
            if (s.createdIn != epoch) {
                removed.add(new SlotKey(s.key, s.window));
            }
        }
    }

    /**
     * The keys of a new window, sized for as many as the latest window had: a window over a million keys then fills
     * without rehashing over and over.
     */
    private SlotTable<Slot> newWindowMap() {
        Map.Entry<Window, SlotTable<Slot>> latest = byWindow.lastEntry();
        int expected = latest == null ? 16 : latest.getValue().size();
        return new SlotTable<>(expected);
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
            slot.accumulator(i).add(field == null ? Boolean.TRUE : lookup(fields, field), timestamp);
        }
        slot.fresh = true;
        slot.unreported = true;
    }

    /** A field by name, or by a dotted path into nested objects ({@code order.amount}). */
    private static Object lookup(Map<String, Object> fields, String field) {
        Object v = fields.get(field);
        if (v != null || field.indexOf('.') < 0) {
            return v;
        }
        Object at = fields;
        for (String part : field.split("\\.")) {
            if (!(at instanceof Map<?, ?> m)) {
                return null;
            }
            at = m.get(part);
        }
        return at;
    }

    private void emit(Object key, Window w, Slot slot, Consumer<Result> out) {
        out.accept(new Result(key, w, values(slot), slot.emitted ? Kind.UPDATE : Kind.FINAL));
        reported(slot);
        slot.fresh = false;
    }

    /** A final or updated result of the slot came out: a change of its saved state when it was not out before. */
    private void reported(Slot slot) {
        if (!slot.emitted || slot.unreported) {
            beforeChange(slot);
            slot.emitted = true;
            slot.unreported = false;
        }
    }

    private Map<String, Object> values(Slot slot) {
        Map<String, Object> values = resultMaps.start(slot.key, slot.window);
        for (int i = 0; i < aggregations.size(); i++) {
            values.put(aggregations.get(i).output(), slot.accumulator(i).result());
        }
        return values;
    }

    private static boolean closed(Window w, long watermark) {
        return watermark >= w.end();
    }

    private boolean expired(Window w, long watermark) {
        return watermark != Watermarks.NONE && watermark - w.end() >= latenessMs;
    }
}
