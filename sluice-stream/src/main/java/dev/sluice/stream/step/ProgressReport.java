package dev.sluice.stream.step;

import dev.sluice.broker.TopicPartition;
import java.util.List;

/**
 * What a task of the stage before a by-key topic says, through each partition of that topic, about the partitions it
 * reads (its origins): for each, the latest event time of the events it sent on from it, and how long it has read
 * nothing from it. The report lands behind every event the task sent to that partition before it, so a stateful step
 * reading the partition knows that every event still to come from an origin is at most its out-of-orderness behind
 * that time, whether or not any of the origin's events landed in this partition: event time crosses the by-key topic
 * as Flink's watermarks cross a shuffle, and a quiet by-key partition does not hold its windows open.
 *
 * @param origins the partitions the task reads, each once
 * @param nextWithinMs how long until the task's next report, at most, while it runs: a claim that an origin is quiet
 *     holds only until then (a task that stopped reporting may have been killed with events of the origin still to
 *     send)
 */
public record ProgressReport(List<OriginProgress> origins, long nextWithinMs) {
    /** Event time of an origin partition that no event has shown yet. */
    public static final long NO_TIME = Long.MIN_VALUE;

    public ProgressReport {
        origins = List.copyOf(origins);
        if (nextWithinMs <= 0) {
            throw new IllegalArgumentException("the next report must be due in more than 0 ms, got " + nextWithinMs);
        }
    }

    /**
     * @param latestEventTime the latest event time sent on from the origin, or {@link #NO_TIME}
     * @param quietMs how long the task has been reading without getting an event from it (time it stood still, in a
     *     rebalance or waiting for a sink, left out)
     */
    public record OriginProgress(TopicPartition origin, long latestEventTime, long quietMs) {
        public OriginProgress {
            if (quietMs < 0) {
                throw new IllegalArgumentException("quiet time must be >= 0, got " + quietMs);
            }
        }
    }
}
