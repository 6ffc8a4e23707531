package dev.sluice.stream.window;

import java.util.HashMap;
import java.util.Map;

/**
 * Event-time progress of one task's inputs. Each input reports the largest event time it has seen; its watermark is
 * that minus the allowed out-of-orderness. The task's watermark is the minimum over inputs that are not idle, so one
 * silent input does not hold every window open; when all are idle it is the largest of them. It goes back when an input
 * is added, or an idle one speaks again behind the others: whoever holds state by it keeps its own floor, per partition
 * (state that moves to another task brings its event time with it, which may be behind that task's other partitions).
 *
 * <p>An input read directly (a partition) is idle when it had no event for the idle timeout of processing time. Time
 * the task spent not reading (a restore, a rebalance, a sink it waited for; see {@link #pause}) does not count: an input
 * is idle only when the task read and got nothing from it, never because the task itself stood still.
 *
 * <p>An input fed by another task through a by-key topic ({@linkplain #reported reported}: one origin partition as seen
 * in one by-key partition) also takes the event time that task reports for the origin ({@link #onProgress}), so it
 * moves on with its origin even when none of the origin's events lands in this by-key partition. It is idle only
 * while that task's latest report says it has read nothing from the origin for the idle timeout, and no event of it
 * came after; the claim lapses when the report is not renewed in time (the task may have been killed with events of
 * the origin still to send), and then the input holds the watermark at its event time. No timeout ever makes an input
 * idle that was not quiet at its source; a late report only delays results. Owned by one thread.
 */
public final class Watermarks {
    /** No event time yet. */
    public static final long NONE = Long.MIN_VALUE;

    private final long outOfOrdernessMs;
    private final long idleTimeoutMs;
    /** Inputs are fed by another task that reports their progress; else read directly. */
    private final boolean reported;

    private final Map<Object, Input> inputs = new HashMap<>();
    /** Processing time the task did not read, which idle timers leave out. */
    private long pausedMs;

    private static final class Input {
        long maxTimestamp = NONE;
        /** When it last spoke, on the clock that leaves out pauses. */
        long lastEventAt;
        /**
         * Reported inputs: until when (same clock) the last report's claim that its origin is quiet holds, or {@link
         * #NONE} when the last report made none, or an event came after it.
         */
        long quietUntil = NONE;
        /** Same clock: not idle before this, whatever reports say (another input resumed: see {@link #wake}). */
        long heldUntil = NONE;
    }

    /** Inputs read directly: one is idle when it has had no event for {@code idleTimeoutMs}. */
    public Watermarks(long outOfOrdernessMs, long idleTimeoutMs) {
        this(outOfOrdernessMs, idleTimeoutMs, false);
    }

    private Watermarks(long outOfOrdernessMs, long idleTimeoutMs, boolean reported) {
        if (outOfOrdernessMs < 0 || idleTimeoutMs <= 0) {
            throw new IllegalArgumentException("out-of-orderness must be >= 0 and the idle timeout > 0");
        }
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.reported = reported;
    }

    /**
     * Inputs fed by another task, which reports their progress ({@link #onProgress}): one is idle only while a report
     * that has not lapsed says its origin has been quiet for {@code idleTimeoutMs}.
     */
    public static Watermarks reported(long outOfOrdernessMs, long idleTimeoutMs) {
        return new Watermarks(outOfOrdernessMs, idleTimeoutMs, true);
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

    /** An event of an input. An input that was idle wakes the others ({@link #wake}). */
    public void onEvent(Object input, long timestamp, long nowMs) {
        Input i = inputs.computeIfAbsent(input, k -> new Input());
        long now = nowMs - pausedMs;
        if (idle(i, now)) {
            wake(i, now);
        }
        i.maxTimestamp = Math.max(i.maxTimestamp, timestamp);
        i.lastEventAt = now;
        i.quietUntil = NONE;
    }

    /**
     * An idle input speaks again: the other idle inputs are not idle for the idle timeout from now. A quiet spell that
     * silenced several inputs (a source that stalled, a night) tends to end for all of them at once, and the first to
     * speak may be ahead in event time of what the others are about to send: they hold the watermark at their own event
     * time until they have been quiet for the idle timeout once more (behind a by-key topic, until then a report that
     * says they are quiet does not count: it may have been written before they spoke again).
     */
    private void wake(Input resumed, long now) {
        for (Input other : inputs.values()) {
            if (other != resumed && idle(other, now)) {
                other.lastEventAt = now;
                other.heldUntil = now + idleTimeoutMs;
            }
        }
    }

    /**
     * The task feeding a reported input says how far its origin has got: every event it sent for the input before now
     * has arrived, the latest event time it sent on from the origin is {@code latestEventTime} ({@link #NONE} for none
     * yet), and it has read nothing from the origin for {@code quietMs}. A claim of quiet holds for {@code validForMs}
     * of this task's reading time, unless an event of the input comes first. Unknown inputs are ignored.
     */
    public void onProgress(Object input, long latestEventTime, long quietMs, long validForMs, long nowMs) {
        Input i = inputs.get(input);
        if (i == null) {
            return;
        }
        long now = nowMs - pausedMs;
        boolean wasIdle = idle(i, now);
        i.maxTimestamp = Math.max(i.maxTimestamp, latestEventTime);
        i.quietUntil = quietMs >= idleTimeoutMs ? now + validForMs : NONE;
        if (wasIdle && i.quietUntil == NONE) {
            wake(i, now);
        }
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
        long now = nowMs - pausedMs;
        for (Input i : inputs.values()) {
            long mark = i.maxTimestamp == NONE ? NONE : i.maxTimestamp - outOfOrdernessMs;
            if (idle(i, now)) {
                idleMax = Math.max(idleMax, mark);
            } else {
                anyActive = true;
                activeMin = Math.min(activeMin, mark);
            }
        }
        return anyActive ? activeMin : idleMax;
    }

    private boolean idle(Input i, long now) {
        if (now < i.heldUntil) {
            return false;
        }
        if (reported) {
            return i.quietUntil != NONE && now < i.quietUntil;
        }
        return now - i.lastEventAt >= idleTimeoutMs;
    }
}
