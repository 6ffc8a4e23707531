package dev.sluice.stream.window;

/**
 * A span of event time, {@code [start, end)} in epoch milliseconds.
 */
public record Window(long start, long end) implements Comparable<Window> {
    public Window {
        if (end <= start) {
            throw new IllegalArgumentException("a window ends after it starts: [" + start + ", " + end + ")");
        }
    }

    public boolean contains(long timestamp) {
        return timestamp >= start && timestamp < end;
    }

    @Override
    public int compareTo(Window o) {
        int byEnd = Long.compare(end, o.end);
        return byEnd != 0 ? byEnd : Long.compare(start, o.start);
    }
}
