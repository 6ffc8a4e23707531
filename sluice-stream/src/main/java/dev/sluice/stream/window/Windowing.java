package dev.sluice.stream.window;

import java.util.ArrayList;
import java.util.List;

/**
 * How events are grouped in event time. Tumbling and hopping windows are fixed and aligned to the epoch; session
 * windows grow with their events and merge when a gap closes.
 */
public sealed interface Windowing {
    /** The fixed windows an event at {@code timestamp} belongs to; a session window is its own event's {@code [t, t + gap)}. */
    List<Window> assign(long timestamp);

    /** Back-to-back windows of {@code size}: each event is in exactly one. */
    record Tumbling(long size) implements Windowing {
        public Tumbling {
            positive(size, "size");
        }

        @Override
        public List<Window> assign(long timestamp) {
            long start = timestamp - Math.floorMod(timestamp, size);
            return List.of(new Window(start, start + size));
        }
    }

    /** Windows of {@code size} starting every {@code advance}: an event is in {@code size / advance} of them. */
    record Hopping(long size, long advance) implements Windowing {
        public Hopping {
            positive(size, "size");
            positive(advance, "advance");
            if (advance > size) {
                throw new IllegalArgumentException(
                        "a hopping window's advance (" + advance + " ms) must not exceed its size (" + size + " ms)");
            }
        }

        @Override
        public List<Window> assign(long timestamp) {
            List<Window> windows = new ArrayList<>();
            long last = timestamp - Math.floorMod(timestamp, advance);
            for (long start = last; start > timestamp - size; start -= advance) {
                windows.add(0, new Window(start, start + size));
            }
            return windows;
        }
    }

    /** Activity separated by less than {@code gap}: a window closes when no event came for {@code gap}. */
    record Session(long gap) implements Windowing {
        public Session {
            positive(gap, "gap");
        }

        @Override
        public List<Window> assign(long timestamp) {
            return List.of(new Window(timestamp, timestamp + gap));
        }
    }

    /**
     * For each event, the {@code size} of event time up to and including it: "the last 10 minutes as of this click".
     * Events at the same millisecond share a window. A window is {@code [t + 1 - size, t + 1)}.
     */
    record Sliding(long size) implements Windowing {
        public Sliding {
            positive(size, "size");
        }

        @Override
        public List<Window> assign(long timestamp) {
            return List.of(new Window(timestamp + 1 - size, timestamp + 1));
        }
    }

    private static void positive(long ms, String what) {
        if (ms <= 0) {
            throw new IllegalArgumentException("a window " + what + " must be positive, got " + ms + " ms");
        }
    }
}
