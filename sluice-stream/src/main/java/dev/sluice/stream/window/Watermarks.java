package dev.sluice.stream.window;

import java.util.HashMap;
import java.util.Map;

/**
 * Event-time progress of one task's inputs. Each input (a partition) reports the largest event time it has seen; its
 * watermark is that minus the allowed out-of-orderness. The task's watermark is the minimum over inputs that are not
 * idle (no event for {@code idleTimeoutMs} of processing time), so one silent partition does not hold every window
 * open; when all are idle it is the largest of them. It goes back when an input is added, or an idle one speaks again
 * behind the others: whoever holds state by it keeps its own floor, per partition (state that moves to another task
 * brings its event time with it, which may be behind that task's other partitions). Time the task spent not reading
 * (a restore, a rebalance, a sink it waited for; see {@link #pause}) does not count towards idleness: an input is idle
 * only when the task read and got nothing from it, never because the task itself stood still. Owned by one thread.
 */
public final class Watermarks {
    /** No event time yet. */
    public static final long NONE = Long.MIN_VALUE;

    private final long outOfOrdernessMs;
    private final long idleTimeoutMs;
    private final Map<Object, Input> inputs = new HashMap<>();
    /** Processing time the task did not read, which idle timers leave out. */
    private long pausedMs;

    private static final class Input {
        long maxTimestamp = NONE;
        /** When it last spoke, on the clock that leaves out pauses. */
        long lastEventAt;
    }

    public Watermarks(long outOfOrdernessMs, long idleTimeoutMs) {
        if (outOfOrdernessMs < 0 || idleTimeoutMs <= 0) {
            throw new IllegalArgumentException("out-of-orderness must be >= 0 and the idle timeout > 0");
        }
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /** An input this task reads, known before its first event (so it holds the watermark back until it speaks). */
    public void register(Object input, long nowMs) {
        inputs.computeIfAbsent(input, k -> {
            Input i = new Input();
            i.lastEventAt = nowMs - pausedMs;
            return i;
        });
    }

    public void forget(Object input) {
        inputs.remove(input);
    }

    public void onEvent(Object input, long timestamp, long nowMs) {
        Input i = inputs.computeIfAbsent(input, k -> new Input());
        i.maxTimestamp = Math.max(i.maxTimestamp, timestamp);
        i.lastEventAt = nowMs - pausedMs;
    }

    /** The task did not read for {@code ms} of processing time: idle timers stand still for that long. */
    public void pause(long ms) {
        if (ms > 0) {
            pausedMs += ms;
        }
    }

    /** The latest event time seen from an input, or {@link #NONE}. */
    public long latest(Object input) {
        Input i = inputs.get(input);
        return i == null ? NONE : i.maxTimestamp;
    }

    /**
     * The watermark of the inputs at processing time {@code nowMs}: every event still to come from an input that is not
     * idle is expected at or after it.
     */
    public long current(long nowMs) {
        long activeMin = Long.MAX_VALUE;
        long idleMax = NONE;
        boolean anyActive = false;
        for (Input i : inputs.values()) {
            long mark = i.maxTimestamp == NONE ? NONE : i.maxTimestamp - outOfOrdernessMs;
            if (nowMs - pausedMs - i.lastEventAt >= idleTimeoutMs) {
                idleMax = Math.max(idleMax, mark);
            } else {
                anyActive = true;
                activeMin = Math.min(activeMin, mark);
            }
        }
        return anyActive ? activeMin : idleMax;
    }
}
