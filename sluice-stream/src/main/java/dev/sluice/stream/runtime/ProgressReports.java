package dev.sluice.stream.runtime;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.step.ProgressReport;
import dev.sluice.stream.step.ProgressReport.OriginProgress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Progress reports of a stage into the by-key topic in front of a stateful step, as Flink sends watermarks and idleness
 * through its shuffle. For each partition it reads (an origin), a task keeps the latest event time of the events it
 * sent on from it and when it last sent one; it writes a report to every partition of the by-key topic ({@link
 * #sendIfDue}, in the batch's transaction when the stage is exactly-once): no key, no value, and the header {@value
 * #HEADER} holding, as JSON, each origin's latest event time and how long it has been quiet, and when the next report
 * is due at the latest ({@code {"next": 1000, "origins": {"clicks/0": {"time": 1764000000000, "quiet": 0}}}}). A
 * report lands behind everything the task sent to that partition before it, so the step reading the partition learns
 * how far each origin has got even when none of its events land there ({@link ProgressReport}).
 *
 * <p>While any origin sent something within the last second, reports go out every {@value #INTERVAL_MS} ms; when all
 * have been quiet that long, every {@value #QUIET_INTERVAL_MS} ms (a pipeline whose input has ended is nearly quiet),
 * and at once when an origin has been quiet for the step's idle timeout, so the step stops waiting for it without
 * delay. An origin is quiet only once the task has read it to its end: a task that has not sent an origin's events
 * because it was busy with others, or had no CPU, is not told apart by the clock from one whose origin has none. Quiet time leaves out the time the task stood still ({@link #pause}). Owned by the task's thread.
 */
final class ProgressReports {
    /** Header of a report. */
    static final String HEADER = "sluice.progress";
    /** How often a task reports while it reads. */
    static final long INTERVAL_MS = 1_000;
    /** How often a task reports while everything it reads is quiet. */
    static final long QUIET_INTERVAL_MS = 10_000;

    private static final class Origin {
        long latest = ProgressReport.NO_TIME;
        /** When it last sent an event on, on the clock that leaves out pauses. */
        long lastSentAt;
        /** Until when it counts as holding unread events without asking the broker again (wall clock). */
        long unreadUntil;

        Origin(long now) {
            this.lastSentAt = now;
        }
    }

    private final PipelinePlan.Progress plan;
    private final Predicate<TopicPartition> readToEnd;
    private final Map<TopicPartition, Origin> origins = new LinkedHashMap<>();
    /** The origin of the last event sent on, which the next one most likely shares. */
    private TopicPartition lastOrigin;

    private Origin last;
    private long pausedMs;
    private long lastReportAt;
    /** Whether the last report said every origin was quiet (the next one is then due later). */
    private boolean quietReported;
    /** Origins the last report said were quiet for the idle timeout. */
    private final List<TopicPartition> idleReported = new ArrayList<>();

    /**
     * @param readToEnd whether the task has read a partition to its end: an origin counts as quiet only then (a task
     *     that has not got round to a partition, busy with the others or starved of CPU, has not heard it go quiet)
     */
    ProgressReports(PipelinePlan.Progress plan, Predicate<TopicPartition> readToEnd, long nowMs) {
        this.plan = plan;
        this.readToEnd = readToEnd;
        this.lastReportAt = nowMs;
    }

    /** The task now reads these partitions: each is taken as just heard from until it proves quiet. */
    void onAssigned(Collection<TopicPartition> partitions, long nowMs) {
        for (TopicPartition p : partitions) {
            origins.put(p, new Origin(nowMs - pausedMs));
        }
        quietReported = false;
    }

    void onRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(origins::remove);
        lastOrigin = null;
        last = null;
    }

    /** An event read from {@code origin} was sent on to the by-key topic, with this event time (or none). */
    void onSent(TopicPartition origin, long eventTime, long nowMs) {
        Origin o = origin.equals(lastOrigin) ? last : origins.get(origin);
        if (o == null) {
            return;
        }
        lastOrigin = origin;
        last = o;
        o.latest = Math.max(o.latest, eventTime);
        o.lastSentAt = nowMs - pausedMs;
    }

    /**
     * Before a batch's events are sent on: when an origin the last report called quiet for the idle timeout has events
     * in it, every origin called so is taken as just heard from (a quiet spell tends to end for all at once, and the
     * first to speak may be ahead of what the others are about to send), and a report saying so goes out at once,
     * ahead of the batch's events in every partition: no step behind the by-key topic then takes a quiet origin for
     * idle while events of a resumed one arrive.
     */
    void beforeBatch(List<ConsumedEvent> events, Delivery delivery, long nowMs) {
        if (idleReported.isEmpty()) {
            return;
        }
        TopicPartition previous = null;
        for (ConsumedEvent e : events) {
            TopicPartition tp = e.topicPartition();
            if (!tp.equals(previous) && idleReported.contains(tp)) {
                long now = nowMs - pausedMs;
                for (TopicPartition quiet : idleReported) {
                    Origin o = origins.get(quiet);
                    if (o != null) {
                        o.lastSentAt = now;
                    }
                }
                send(delivery, nowMs);
                return;
            }
            previous = tp;
        }
    }

    /** The task stood still for {@code ms} (a restore, a rebalance, a sink it waited for): not quiet time. */
    void pause(long ms) {
        if (ms > 0) {
            pausedMs += ms;
        }
    }

    /** Whether a report is due now. */
    boolean due(long nowMs) {
        if (origins.isEmpty()) {
            return false;
        }
        if (nowMs - lastReportAt >= (quietReported ? QUIET_INTERVAL_MS : INTERVAL_MS)) {
            return true;
        }
        long now = nowMs - pausedMs;
        for (Map.Entry<TopicPartition, Origin> e : origins.entrySet()) {
            boolean reportedIdle = idleReported.contains(e.getKey());
            boolean quiet = reportedIdle // asked again at the next report, not at every loop of the task
                    ? now - e.getValue().lastSentAt >= plan.idleTimeoutMs()
                    : quietMs(e.getKey(), e.getValue(), now, nowMs) >= plan.idleTimeoutMs();
            if (quiet != reportedIdle) {
                return true; // went quiet for the idle timeout: said at once
            }
        }
        return false;
    }

    /**
     * How long the origin has been quiet: since the task last sent one of its events on, if it has read the origin to
     * its end; 0 while events wait in it that the task has not read (asked only once it would count as idle).
     */
    private long quietMs(TopicPartition tp, Origin origin, long now, long nowMs) {
        long quiet = Math.max(0, now - origin.lastSentAt);
        if (quiet < plan.idleTimeoutMs()) {
            return quiet;
        }
        if (nowMs < origin.unreadUntil) {
            return 0;
        }
        if (!readToEnd.test(tp)) {
            origin.unreadUntil = nowMs + INTERVAL_MS; // events waiting: the broker is asked again a second later
            return 0;
        }
        return quiet;
    }

    /** Sends the task's report to every partition of the by-key topic when one is due. */
    void sendIfDue(Delivery delivery, long nowMs) {
        if (due(nowMs)) {
            send(delivery, nowMs);
        }
    }

    private void send(Delivery delivery, long nowMs) {
        long now = nowMs - pausedMs;
        boolean allQuiet = true;
        idleReported.clear();
        List<OriginProgress> progress = new ArrayList<>(origins.size());
        for (Map.Entry<TopicPartition, Origin> e : origins.entrySet()) {
            long quiet = quietMs(e.getKey(), e.getValue(), now, nowMs);
            progress.add(new OriginProgress(e.getKey(), e.getValue().latest, quiet));
            allQuiet &= quiet >= INTERVAL_MS;
            if (quiet >= plan.idleTimeoutMs()) {
                idleReported.add(e.getKey());
            }
        }
        ProgressReport report = new ProgressReport(progress, allQuiet ? QUIET_INTERVAL_MS : INTERVAL_MS);
        List<Header> headers = List.of(new Header(HEADER, write(report)));
        for (int p = 0; p < plan.partitions(); p++) {
            delivery.send(new TopicPartition(plan.topic(), p), new Event(null, null, headers, nowMs));
        }
        lastReportAt = nowMs;
        quietReported = allQuiet;
    }

    static byte[] write(ProgressReport report) {
        Map<String, Object> byOrigin = new LinkedHashMap<>();
        for (OriginProgress o : report.origins()) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (o.latestEventTime() != ProgressReport.NO_TIME) {
                m.put("time", o.latestEventTime());
            }
            m.put("quiet", o.quietMs());
            byOrigin.put(o.origin().toString(), m);
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("next", report.nextWithinMs());
        value.put("origins", byOrigin);
        return Json.write(value);
    }

    /**
     * Whether the event is a report (no value, the header {@value #HEADER}): a report of an earlier version of Sluice
     * counts as one too, but says nothing.
     */
    static boolean isReport(ConsumedEvent e) {
        return e.value() == null && header(e) != null;
    }

    /** What a report says, or null when it is not one that says something. */
    static ProgressReport read(ConsumedEvent e) {
        byte[] value = e.value() == null ? header(e) : null;
        if (value == null || value.length == 0 || value[0] != '{') {
            return null;
        }
        try {
            Map<String, Object> m = Json.parseObject(value);
            List<OriginProgress> origins = new ArrayList<>();
            Map<?, ?> byOrigin = (Map<?, ?>) m.get("origins");
            for (Map.Entry<?, ?> o : byOrigin.entrySet()) {
                Map<?, ?> at = (Map<?, ?>) o.getValue();
                origins.add(new OriginProgress(
                        TopicPartition.parse((String) o.getKey()),
                        at.get("time") instanceof Number t ? t.longValue() : ProgressReport.NO_TIME,
                        ((Number) at.get("quiet")).longValue()));
            }
            return new ProgressReport(origins, ((Number) m.get("next")).longValue());
        } catch (RuntimeException notOurs) {
            return null; // not written by Sluice: says nothing
        }
    }

    private static byte[] header(ConsumedEvent e) {
        for (Header h : e.headers()) {
            if (h.key().equals(HEADER)) {
                return h.value();
            }
        }
        return null;
    }
}
