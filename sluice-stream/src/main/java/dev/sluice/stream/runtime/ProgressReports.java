package dev.sluice.stream.runtime;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.step.StatefulStep;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Progress reports through a by-key topic, as Flink sends watermarks and idleness through its shuffle. While the task
 * of the stage before the topic reads events, it writes a report to every partition of the topic each second (in the
 * batch's transaction when the stage is exactly-once): no key, no value, and header {@value
 * StatefulStep#PROGRESS_HEADER} = {@code reading clicks/0,clicks/1}, the partitions it reads. A report lands behind
 * everything the task sent to that partition before, so the stateful step reading it learns that an origin partition
 * it had no event from had nothing for it; and when reports stop, that the task before is down and its events may
 * still come. When the task has read nothing for a second, it writes {@code caught-up ...} instead, and then only every
 * {@link StatefulStep#CAUGHT_UP_INTERVAL_MS} until it reads again, so that a pipeline whose input has ended is nearly
 * quiet while a task that takes a by-key partition over still learns the stage before is alive (see {@link
 * StatefulStep#onProgress}).
 */
final class ProgressReports {
    /** What a report says. */
    record Report(List<TopicPartition> origins, boolean caughtUp) {}

    private static final String READING = "reading";
    private static final String CAUGHT_UP = "caught-up";

    private final String topic;
    private final int partitions;
    private long lastSentAt;
    /** When the task last read events, or got new partitions to read. */
    private long lastReadAt;

    private boolean caughtUpSent;

    /** Reports to every partition of {@code topic}, which has {@code partitions}. */
    ProgressReports(String topic, int partitions, long nowMs) {
        this.topic = topic;
        this.partitions = partitions;
        this.lastSentAt = nowMs;
        this.lastReadAt = nowMs;
    }

    /** The task read events, or was given partitions it has not read yet. */
    void onRead(long nowMs) {
        lastReadAt = nowMs;
        caughtUpSent = false;
    }

    /**
     * Sends the task's report to every partition when one is due: that it reads {@code reading}, or that it has read
     * them to the end.
     */
    void sendIfDue(Delivery delivery, Collection<TopicPartition> reading, long nowMs) {
        if (!due(reading, nowMs)) {
            return;
        }
        boolean caughtUp = nowMs - lastReadAt >= StatefulStep.PROGRESS_INTERVAL_MS;
        String value = (caughtUp ? CAUGHT_UP : READING) + " "
                + String.join(
                        ",", reading.stream().map(TopicPartition::toString).toList());
        List<Header> headers = List.of(Header.of(StatefulStep.PROGRESS_HEADER, value));
        for (int p = 0; p < partitions; p++) {
            delivery.send(new TopicPartition(topic, p), new Event(null, null, headers, nowMs));
        }
        lastSentAt = nowMs;
        caughtUpSent = caughtUp;
    }

    /** Whether {@link #sendIfDue} would send now. */
    boolean due(Collection<TopicPartition> reading, long nowMs) {
        long interval = caughtUpSent ? StatefulStep.CAUGHT_UP_INTERVAL_MS : StatefulStep.PROGRESS_INTERVAL_MS;
        return !reading.isEmpty() && nowMs - lastSentAt >= interval;
    }

    /** What a report says, or null when the event is not one. */
    static Report read(ConsumedEvent e) {
        if (e.value() != null) { // reports have none: events need no header lookup
            return null;
        }
        String value = null;
        for (Header h : e.headers()) {
            if (h.key().equals(StatefulStep.PROGRESS_HEADER)) {
                value = h.valueAsString();
            }
        }
        int space = value == null ? -1 : value.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String status = value.substring(0, space);
        if (!status.equals(READING) && !status.equals(CAUGHT_UP)) {
            return null;
        }
        List<TopicPartition> origins = new ArrayList<>();
        for (String part : value.substring(space + 1).split(",")) {
            try {
                origins.add(TopicPartition.parse(part));
            } catch (IllegalArgumentException bad) {
                return null; // not written by Sluice: an event like any other
            }
        }
        return new Report(origins, status.equals(CAUGHT_UP));
    }
}
