package dev.sluice.stream.state.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** One partition's timers, by time: each (domain, time, key) once. Owned by one thread. */
public final class TimerQueue {
    /** A timer: of event time or of processing time. */
    public record Timer(boolean eventTime, long time, String key) {}

    private static final Comparator<Timer> ORDER =
            Comparator.comparingLong(Timer::time).thenComparing(Timer::key).thenComparing(Timer::eventTime);

    private final TreeSet<Timer> timers = new TreeSet<>(ORDER);

    public void add(Timer timer) {
        timers.add(timer);
    }

    public void remove(Timer timer) {
        timers.remove(timer);
    }

    /** Takes out the timers of one domain due at {@code now}, in time order. */
    public List<Timer> due(boolean eventTime, long now) {
        List<Timer> out = new ArrayList<>();
        for (Timer t : timers) {
            if (t.time() > now) {
                break;
            }
            if (t.eventTime() == eventTime) {
                out.add(t);
            }
        }
        out.forEach(timers::remove);
        return out;
    }

    /** Whether a timer of one domain is due at {@code now}. */
    public boolean hasDue(boolean eventTime, long now) {
        for (Timer t : timers) {
            if (t.time() > now) {
                return false;
            }
            if (t.eventTime() == eventTime) {
                return true;
            }
        }
        return false;
    }

    public List<Timer> all() {
        return new ArrayList<>(timers);
    }

    public int size() {
        return timers.size();
    }
}
