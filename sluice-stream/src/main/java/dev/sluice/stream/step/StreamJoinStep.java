package dev.sluice.stream.step;

import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.join.IntervalJoin;
import dev.sluice.stream.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code join: {stream: payments, on: order_id, within: 10m}} joins each event with the events of another stream that
 * have the same value in the {@code on} field and event times at most {@code within} apart: one event per match, with
 * the other event's fields under {@code as}. In a left join an event that matched nothing comes out, with {@code as}
 * null, once the watermark shows no match can still come. The runtime puts both streams through one topic keyed by
 * the {@code on} field in front of the step (events carry where they were read, which says their stream). Events
 * behind the watermark go to the late-events topic. State is held per input partition and checkpointed.
 */
final class StreamJoinStep implements StatefulStep {
    /**
     * @param on the field matched in this stream's events; {@code otherOn} in the other's
     * @param as the field the other event goes in
     * @param upstream the partitions of both streams before the by-key topic, or null when the step reads its input
     *     directly (then every event is of this stream)
     */
    record Settings(
            String otherTopic,
            FieldPath on,
            FieldPath otherOn,
            long withinMs,
            EventTime time,
            EventTime otherTime,
            boolean inner,
            String as,
            long outOfOrderMs,
            long idleTimeoutMs,
            String lateTopic,
            List<TopicPartition> upstream) {}

    private final Settings settings;
    private final Clock clock;
    private final InputTimes times;
    private final Map<TopicPartition, IntervalJoin> joins = new HashMap<>();
    private long unread;

    StreamJoinStep(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.times = new InputTimes(settings.upstream(), settings.outOfOrderMs(), settings.idleTimeoutMs());
    }

    /** The stream joined with. */
    String otherTopic() {
        return settings.otherTopic();
    }

    FieldPath on() {
        return settings.on();
    }

    FieldPath otherOn() {
        return settings.otherOn();
    }

    @Override
    public List<String> ownTopics() {
        return List.of(settings.lateTopic());
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        Origin origin = Origin.of(record);
        IntervalJoin.Side side = origin != null && origin.partition().topic().equals(settings.otherTopic())
                ? IntervalJoin.Side.OTHER
                : IntervalJoin.Side.THIS;
        boolean other = side == IntervalJoin.Side.OTHER;
        Map<String, Object> fields = record.fields();
        long time = (other ? settings.otherTime() : settings.time()).of(record);
        FieldPath on = other ? settings.otherOn() : settings.on();
        Object key = on.get(fields);
        if (key == null) {
            throw new StepException("join field '" + on + "' is missing or null, so the event cannot be matched");
        }
        TopicPartition partition = InputTimes.partitionOf(record);
        long now = clock.millis();
        if (!times.onEvent(partition, times.originOf(record), time, now)) {
            return; // read again from the by-key topic after the stage before it was restarted: held already
        }
        long watermark = times.watermark(partition, now);
        IntervalJoin join = joins.computeIfAbsent(partition, p -> newJoin());
        @SuppressWarnings("unchecked")
        Map<String, Object> held = (Map<String, Object>) Json.deepCopy(fields);
        IntervalJoin.Held event = new IntervalJoin.Held(id(record, origin), side, String.valueOf(key), time, held);
        Consumer<IntervalJoin.Pair> emit = p -> out.accept(toRecord(p));
        if (!join.add(event, watermark, emit)) {
            throw new LateEventException(
                    settings.lateTopic(),
                    "late event: its event time " + Instant.ofEpochMilli(time) + " is behind the watermark "
                            + Instant.ofEpochMilli(watermark) + ", so events it could match may be gone");
        }
        join.advance(watermark, emit);
    }

    private String id(StreamRecord record, Origin origin) {
        if (origin != null) {
            return origin.partition().topic() + "/" + origin.partition().partition() + "/" + origin.offset();
        }
        if (record.origin() != null) {
            return record.origin().topic() + "/" + record.origin().partition() + "/"
                    + record.origin().offset();
        }
        return "unread/" + unread++;
    }

    private StreamRecord toRecord(IntervalJoin.Pair p) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields =
                (Map<String, Object>) Json.deepCopy(p.self().fields());
        fields.put(
                settings.as(),
                p.other() == null ? null : Json.deepCopy(p.other().fields()));
        long timestamp = p.other() == null
                ? p.self().time()
                : Math.max(p.self().time(), p.other().time());
        return new StreamRecord(
                p.self().key().getBytes(StandardCharsets.UTF_8), fields, new ArrayList<>(0), timestamp, null);
    }

    private IntervalJoin newJoin() {
        return new IntervalJoin(settings.withinMs(), !settings.inner());
    }

    @Override
    public void onAssigned(Collection<TopicPartition> partitions, long nowMs) {
        for (TopicPartition p : partitions) {
            times.assign(p, nowMs);
            joins.computeIfAbsent(p, x -> newJoin());
        }
    }

    @Override
    public void pause(long ms) {
        times.pause(ms);
    }

    @Override
    public void onProgress(TopicPartition partition, ProgressReport report, long nowMs) {
        times.onProgress(partition, report, nowMs);
    }

    @Override
    public void onRevoked(Collection<TopicPartition> partitions) {
        for (TopicPartition p : partitions) {
            times.revoke(p);
            joins.remove(p);
        }
    }

    @Override
    public void onTime(long nowMs, Consumer<StreamRecord> out) {
        joins.forEach((p, join) -> join.advance(times.watermark(p, nowMs), r -> out.accept(toRecord(r))));
    }

    /** What is due goes as usual; in a left join, every event of this stream that has matched nothing comes out. */
    @Override
    public void onInputEnd(Collection<TopicPartition> partitions, long nowMs, Consumer<StreamRecord> out) {
        Consumer<IntervalJoin.Pair> emit = r -> out.accept(toRecord(r));
        for (TopicPartition p : partitions) {
            IntervalJoin join = joins.get(p);
            if (join != null) {
                join.advance(times.watermark(p, nowMs), emit);
                join.emitUnmatched(emit);
            }
        }
    }

    @Override
    public StateChanges changes(TopicPartition partition) {
        IntervalJoin join = joins.get(partition);
        return join == null ? StateChanges.NONE : entries(join.takeChanges());
    }

    @Override
    public void saveAll(TopicPartition partition, BiConsumer<byte[], byte[]> entries) {
        IntervalJoin join = joins.get(partition);
        if (join != null) {
            entries(join.all()).forEach(entries);
        }
    }

    /** Each held event as a changelog entry: {@code {"id": ...}} to its side, key, time, fields and whether matched. */
    private static StateChanges entries(List<IntervalJoin.Change> changes) {
        return new StateChanges() {
            @Override
            public int size() {
                return changes.size();
            }

            @Override
            public void forEach(BiConsumer<byte[], byte[]> sink) {
                for (IntervalJoin.Change c : changes) {
                    IntervalJoin.Held h = c.held();
                    Map<String, Object> value = null;
                    if (h != null) {
                        value = new LinkedHashMap<>();
                        value.put("side", h.side().name().toLowerCase(java.util.Locale.ROOT));
                        value.put("k", h.key());
                        value.put("t", h.time());
                        value.put("m", c.matched());
                        value.put("e", h.fields());
                    }
                    sink.accept(Json.write(Map.of("id", c.id())), value == null ? null : Json.write(value));
                }
            }
        };
    }

    @Override
    public Map<String, Object> checkpointState(TopicPartition partition) {
        return times.save(partition, clock.millis());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(TopicPartition partition, Collection<byte[][]> entries, Map<String, Object> kept) {
        IntervalJoin join = newJoin();
        for (byte[][] e : entries) {
            Map<String, Object> value = (Map<String, Object>) Json.deepCopy(Json.parseObject(e[1]));
            IntervalJoin.Held h = new IntervalJoin.Held(
                    (String) Json.parseObject(e[0]).get("id"),
                    "other".equals(value.get("side")) ? IntervalJoin.Side.OTHER : IntervalJoin.Side.THIS,
                    (String) value.get("k"),
                    ((Number) value.get("t")).longValue(),
                    (Map<String, Object>) value.get("e"));
            join.restore(h, Boolean.TRUE.equals(value.get("m")));
        }
        joins.put(partition, join);
        times.restore(partition, kept, clock.millis());
    }

    /** The events held for a key, each with its stream ({@code side}), event time and whether it has matched. */
    @Override
    public List<Map<String, Object>> query(String key) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (IntervalJoin join : joins.values()) {
            for (IntervalJoin.Held h : join.heldFor(key)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("side", h.side() == IntervalJoin.Side.THIS ? "this" : settings.otherTopic());
                m.put("time", Instant.ofEpochMilli(h.time()).toString());
                m.put("matched", join.isMatched(h));
                m.put("event", h.fields());
                m.put("closed", false);
                out.add(m);
            }
        }
        return out;
    }
}
