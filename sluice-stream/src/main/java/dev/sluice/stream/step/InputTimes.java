package dev.sluice.stream.step;

import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.window.Watermarks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event time of the partitions a stateful step's task reads, and what of it a checkpoint keeps. Event time is tracked
 * per assigned partition, or, behind a by-key topic the runtime added, per assigned partition and origin partition
 * (the events of one origin partition keep their order within each by-key partition, but not across them): every one
 * of them holds the watermark back until it has spoken or gone idle. Behind a by-key topic, the stage before reports
 * each origin's latest event time and quiet time to every by-key partition ({@link StatefulStep#onProgress}), so an
 * origin moves on in a by-key partition that none of its events reach, and is idle only when it is quiet at its source;
 * an origin whose stage before stopped reporting (it is down, or restarting elsewhere) holds the watermark at its last
 * reported time until it comes back, so its events are not late for that. Behind a by-key topic it also knows the
 * events the stage before sent again after a restart (their origin offsets were counted). A partition's watermark
 * never goes below the one its restored state had reached. Owned by the task's thread.
 */
final class InputTimes {
    private record Channel(TopicPartition partition, TopicPartition origin) {}

    /** How many report intervals a report's claim that an origin is quiet holds. */
    static final int REPORT_GRACE = 3;

    private final List<TopicPartition> upstream;
    private final Watermarks watermarks;
    /** Per partition, the watermark its state has reached (restored with it from a checkpoint): it never goes back. */
    private final Map<TopicPartition, Long> floors = new HashMap<>();
    /** Behind a by-key topic: per partition, the last origin offsets counted into its state. */
    private final Map<TopicPartition, CountedOffsets> seen = new HashMap<>();

    /**
     * @param upstream the partitions events were read from before the runtime partitioned them by key, or null when
     *     the step reads them directly
     */
    InputTimes(List<TopicPartition> upstream, long outOfOrderMs, long idleTimeoutMs) {
        this.upstream = upstream;
        this.watermarks = upstream == null
                ? new Watermarks(outOfOrderMs, idleTimeoutMs)
                : Watermarks.reported(outOfOrderMs, idleTimeoutMs);
    }

    /** Reads the {@link StatefulStep#UPSTREAM} argument, or null when it is not given. */
    static List<TopicPartition> upstream(Object value, Location at) {
        if (value == null) {
            return null;
        }
        List<TopicPartition> out = new ArrayList<>();
        Args.map(value, at, StatefulStep.UPSTREAM, "{clicks: 3}").forEach((topic, n) -> {
            for (int p = 0; p < Args.positiveInt(n, at, StatefulStep.UPSTREAM + "." + topic); p++) {
                out.add(new TopicPartition(topic, p));
            }
        });
        return out;
    }

    /** The partition a record was read from, whose state it belongs to. */
    static TopicPartition partitionOf(StreamRecord record) {
        return record.origin() == null
                ? StatefulStep.NO_PARTITION
                : record.origin().topicPartition();
    }

    /** Where a record was read before the by-key topic, or null when the step reads its input directly. */
    Origin originOf(StreamRecord record) {
        return upstream == null ? null : Origin.of(record);
    }

    /**
     * Notes an event's time. Returns false, and notes nothing, for an event read again from the by-key topic after the
     * stage before it was restarted: its state holds it already.
     */
    boolean onEvent(TopicPartition partition, Origin origin, long time, long nowMs) {
        if (origin != null
                && !seen.computeIfAbsent(partition, p -> new CountedOffsets()).isNew(origin)) {
            return false;
        }
        watermarks.onEvent(origin == null ? partition : new Channel(partition, origin.partition()), time, nowMs);
        return true;
    }

    /**
     * The watermark of one partition's state at processing time {@code nowMs}: that of the task's inputs, but never
     * below what the partition's state has reached (its floor). The floor is per partition, not per task: a partition
     * the task is given later, restored from a checkpoint, may be behind its other partitions in event time, and its
     * events must not count as late for that.
     */
    long watermark(TopicPartition partition, long nowMs) {
        long watermark = watermarks.current(nowMs);
        Long floor = floors.get(partition);
        if (floor == null || watermark > floor) {
            floors.put(partition, watermark);
            return watermark;
        }
        return floor;
    }

    /**
     * See {@link StatefulStep#onProgress}: reports for partitions read directly are ignored. A claim of quiet holds for
     * {@value #REPORT_GRACE} times the time to the next report, so a report that comes a little late on a busy
     * machine does not make the origin hold the watermark for a moment.
     */
    void onProgress(TopicPartition partition, ProgressReport report, long nowMs) {
        if (upstream == null) {
            return;
        }
        long validFor = REPORT_GRACE * report.nextWithinMs();
        for (ProgressReport.OriginProgress o : report.origins()) {
            watermarks.onProgress(
                    new Channel(partition, o.origin()), o.latestEventTime(), o.quietMs(), validFor, nowMs);
        }
    }

    /** The task did not read for {@code ms}: see {@link Watermarks#pause}. */
    void pause(long ms) {
        watermarks.pause(ms);
    }

    void assign(TopicPartition partition, long nowMs) {
        for (Object input : inputs(partition)) {
            watermarks.register(input, nowMs);
        }
    }

    void revoke(TopicPartition partition) {
        inputs(partition).forEach(watermarks::forget);
        floors.remove(partition);
        seen.remove(partition);
    }

    /** What a checkpoint of the partition keeps: its watermark, each input's latest event time, counted offsets. */
    Map<String, Object> save(TopicPartition partition, long nowMs) {
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("watermark", watermark(partition, nowMs));
        Map<String, Object> latest = new LinkedHashMap<>();
        for (Object input : inputs(partition)) {
            long max = watermarks.latest(input);
            if (max != Watermarks.NONE) {
                latest.put(name(input), max);
            }
        }
        kept.put("latest", latest);
        CountedOffsets counted = seen.get(partition);
        if (counted != null) {
            kept.put("counted", counted.save());
        }
        return kept;
    }

    /** Takes back what {@link #save} kept (nothing when {@code kept} is null: the partition has no checkpoint). */
    void restore(TopicPartition partition, Map<String, Object> kept, long nowMs) {
        if (kept == null) {
            return;
        }
        floors.put(partition, ((Number) kept.get("watermark")).longValue());
        seen.put(partition, CountedOffsets.load((Map<?, ?>) kept.get("counted")));
        // the latest event time of each input goes on from where it was, so that the watermark can pass the state's
        // times even if no new event comes
        Map<?, ?> latest = (Map<?, ?>) kept.get("latest");
        if (latest != null) {
            for (Object input : inputs(partition)) {
                Object max = latest.get(name(input));
                if (max != null) {
                    watermarks.onEvent(input, ((Number) max).longValue(), nowMs);
                }
            }
        }
    }

    private List<Object> inputs(TopicPartition partition) {
        if (upstream == null) {
            return List.of(partition);
        }
        return upstream.stream().<Object>map(o -> new Channel(partition, o)).toList();
    }

    private static String name(Object input) {
        return input instanceof Channel c
                ? c.origin().topic() + "/" + c.origin().partition()
                : "";
    }
}
