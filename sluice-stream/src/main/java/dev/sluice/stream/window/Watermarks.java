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
 * only when the task read and got nothing from it, never because the task itself stood still.
 *
 * <p>Inputs that are fed by another task (the stage before a by-key topic) may be {@linkplain #reported reported}: that
 * task says now and then that it is alive, or that it has read everything and is quiet ({@link #onProgress}). Such an
 * input is idle only when that task kept reporting for the idle timeout and sent no event for it, and still reports,
 * or when it said it had caught up: silence alone may be the task before being down, with events still to send, so it
 * holds the watermark until that task speaks again (and reads for the idle timeout what it missed). Owned by one thread.
 */
public final class Watermarks {
    /** No event time yet. */
    public static final long NONE = Long.MIN_VALUE;

    private final long outOfOrdernessMs;
    private final long idleTimeoutMs;
    /** For reported inputs: how long after its last report the task before counts as alive; else 0. */
    private final long reportTimeoutMs;
    /** For reported inputs: how long a report that the task before caught up holds. */
    private final long caughtUpTimeoutMs;

    private final Map<Object, Input> inputs = new HashMap<>();
    /** Processing time the task did not read, which idle timers leave out. */
    private long pausedMs;

    private static final class Input {
        long maxTimestamp = NONE;
        /** When it last spoke, on the clock that leaves out pauses. */
        long lastEventAt;
        /** When the task that feeds it last reported progress (reported inputs only), on the same clock. */
        long lastReportAt = NONE;
        /** Since when that task has reported without a gap of the report timeout. */
        long reportingSince = NONE;
        /** The task that feeds it said, after its last event, that it had read everything: quiet until it reads. */
        boolean caughtUp;
    }

    /** Inputs read directly: one is idle when it has had no event for {@code idleTimeoutMs}. */
    public Watermarks(long outOfOrdernessMs, long idleTimeoutMs) {
        this(outOfOrdernessMs, idleTimeoutMs, 0, 0);
    }

    private Watermarks(long outOfOrdernessMs, long idleTimeoutMs, long reportTimeoutMs, long caughtUpTimeoutMs) {
        if (outOfOrdernessMs < 0 || idleTimeoutMs <= 0) {
            throw new IllegalArgumentException("out-of-orderness must be >= 0 and the idle timeout > 0");
        }
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.reportTimeoutMs = reportTimeoutMs;
        this.caughtUpTimeoutMs = caughtUpTimeoutMs;
    }

    /**
     * Inputs fed by another task, which reports its progress: one is idle when reports kept coming while it had no
     * event for {@code idleTimeoutMs}, or the last one, within {@code caughtUpTimeoutMs}, said it had caught up; when no
     * report came for {@code reportTimeoutMs} (for {@code caughtUpTimeoutMs} after a caught-up one), the task before is
     * taken for down and its inputs hold the watermark.
     */
    public static Watermarks reported(
            long outOfOrdernessMs, long idleTimeoutMs, long reportTimeoutMs, long caughtUpTimeoutMs) {
        if (reportTimeoutMs <= 0 || caughtUpTimeoutMs <= 0) {
            throw new IllegalArgumentException("the report timeouts must be > 0");
        }
        return new Watermarks(outOfOrdernessMs, idleTimeoutMs, reportTimeoutMs, caughtUpTimeoutMs);
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
        i.caughtUp = false;
    }

    /**
     * The task feeding a reported input says it is alive, and that every event it had for the input before now has
     * arrived; with {@code caughtUp}, that it has read its own input to the end and goes quiet. Changes no event time.
     */
    public void onProgress(Object input, boolean caughtUp, long nowMs) {
        Input i = inputs.get(input);
        if (i != null) {
            long now = nowMs - pausedMs;
            if (i.lastReportAt == NONE || now - i.lastReportAt >= reportTimeoutMs) {
                i.reportingSince = now; // it was down: what it sends now may be what it missed
            }
            i.lastReportAt = now;
            i.caughtUp = caughtUp;
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
        if (now - i.lastEventAt < idleTimeoutMs) {
            return false;
        }
        // reported: the task before must have said, reporting all along for the idle timeout, that it had nothing
        return reportTimeoutMs == 0
                || (i.caughtUp && now - i.lastReportAt < caughtUpTimeoutMs)
                || (i.lastReportAt != NONE
                        && now - i.lastReportAt < reportTimeoutMs
                        && i.lastReportAt - Math.max(i.lastEventAt, i.reportingSince) >= idleTimeoutMs);
    }
}
