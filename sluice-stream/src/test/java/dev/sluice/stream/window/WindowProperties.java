package dev.sluice.stream.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Window results for out-of-order input equal a plain batch computation over the same events: whatever the order and
 * delays, as long as events come within the out-of-orderness plus the lateness; events later than that are refused and
 * the results equal the batch over the rest.
 */
class WindowProperties {
    private static final List<Aggregation> AGGREGATIONS = List.of(
            Aggregations.parse("n", "count()"),
            Aggregations.parse("total", "sum(v)"),
            Aggregations.parse("low", "min(v)"),
            Aggregations.parse("high", "max(v)"),
            Aggregations.parse("users", "count_distinct(u)"),
            Aggregations.parse("first", "first(v)"),
            Aggregations.parse("last", "last(v)"),
            Aggregations.parse("top", "top(u, 2)"));

    record Ev(int key, long ts, int v, int u, int seq) {}

    @Property(tries = 400)
    void shouldEqualTheBatchComputationWhateverTheOrder(
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 4) int kind,
            @ForAll @IntRange(min = 0, max = 400) int disorder,
            @ForAll @IntRange(min = 0, max = 300) int lateness,
            @ForAll boolean oneAggregation) {
        // one aggregation is held without an array: both shapes of a slot
        List<Aggregation> aggregations = oneAggregation ? List.of(AGGREGATIONS.get(0)) : AGGREGATIONS;
        Random random = new Random(seed);
        Windowing windowing = switch (kind) {
            case 0 -> new Windowing.Tumbling(100);
            case 1 -> new Windowing.Hopping(100, 25);
            case 2 -> new Windowing.Session(30);
            case 3 -> new Windowing.Sliding(60);
            default -> new Windowing.Tumbling(7);
        };
        // distinct event times: first() and last() are defined by event time, so ties would make them ambiguous
        List<Long> times = new ArrayList<>();
        for (long t = 0; t < 2_000; t++) {
            times.add(t);
        }
        java.util.Collections.shuffle(times, random);
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(new Ev(random.nextInt(4), times.get(i), random.nextInt(100), random.nextInt(10), i));
        }
        // arrival order: by event time plus a random delay of up to twice the allowed disorder
        List<Ev> arrival = new ArrayList<>(events);
        Map<Ev, Long> arrivesAt = new HashMap<>();
        // sessions: delays within the out-of-orderness only. A session closed and forgotten cannot take a late event
        // that would have joined it (as in Flink), so with late events sessions differ from a batch by design.
        int maxDelay = windowing instanceof Windowing.Session ? disorder : 2 * disorder;
        for (Ev e : events) {
            arrivesAt.put(e, e.ts() + (maxDelay == 0 ? 0 : random.nextInt(maxDelay + 1)));
        }
        arrival.sort(Comparator.<Ev>comparingLong(arrivesAt::get).thenComparingInt(Ev::seq));

        Watermarks watermarks = new Watermarks(disorder, Long.MAX_VALUE);
        WindowOperator operator = new WindowOperator(windowing, lateness, aggregations);
        Map<List<Object>, Map<String, Object>> streamed = new HashMap<>();
        List<Ev> accepted = new ArrayList<>();
        Map<Ev, Long> watermarkAtArrival = new HashMap<>();
        for (Ev e : arrival) {
            long watermark = watermarks.current(0);
            watermarkAtArrival.put(e, watermark);
            boolean taken = operator.add(e.key(), e.ts(), fields(e), watermark, r -> collect(streamed, r));
            if (taken) {
                accepted.add(e);
            } else {
                // refused only when it really is later than out-of-orderness plus lateness allows
                assertThat(watermark - lateness).isGreaterThan(e.ts() - windowSpan(windowing));
            }
            watermarks.onEvent("p0", e.ts(), 0);
            operator.advance(watermarks.current(0), r -> collect(streamed, r));
        }
        operator.advance(Long.MAX_VALUE, r -> collect(streamed, r));
        assertThat(operator.size()).isZero();
        if (disorder == 0 || lateness >= 2 * disorder) {
            assertThat(accepted).hasSize(events.size());
        }
        Map<List<Object>, Map<String, Object>> reference =
                batch(windowing, aggregations, accepted, watermarkAtArrival, lateness);
        assertThat(streamed.keySet()).containsExactlyInAnyOrderElementsOf(reference.keySet());
        reference.forEach(
                (id, values) -> assertThat(streamed.get(id)).as("window " + id).isEqualTo(values));
    }

    private static long windowSpan(Windowing w) {
        if (w instanceof Windowing.Tumbling t) {
            return t.size();
        }
        if (w instanceof Windowing.Hopping h) {
            return h.size();
        }
        if (w instanceof Windowing.Sliding s) {
            return s.size();
        }
        return ((Windowing.Session) w).gap();
    }

    private static void collect(Map<List<Object>, Map<String, Object>> results, WindowOperator.Result r) {
        List<Object> id = List.of(r.key(), r.window().start(), r.window().end());
        assertThat(r.update())
                .as("an update follows a result of the same window")
                .isEqualTo(results.containsKey(id));
        results.put(id, r.values());
    }

    private static Map<String, Object> fields(Ev e) {
        return Map.of("v", e.v(), "u", "user-" + e.u());
    }

    /**
     * The reference: group the events by key and window at once, then aggregate in event-time order. A fixed window an
     * event belongs to counts it unless the window had already expired when the event arrived (an event can be too
     * late for its older hopping windows and in time for its newer ones).
     */
    private static Map<List<Object>, Map<String, Object>> batch(
            Windowing windowing,
            List<Aggregation> aggregations,
            List<Ev> events,
            Map<Ev, Long> watermarkAtArrival,
            long lateness) {
        Map<List<Object>, List<Ev>> groups = new HashMap<>();
        if (windowing instanceof Windowing.Session s) {
            Map<Integer, List<Ev>> byKey = new HashMap<>();
            events.forEach(
                    e -> byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
            byKey.forEach((key, list) -> {
                list.sort(Comparator.comparingLong(Ev::ts));
                List<Ev> session = new ArrayList<>();
                long end = Long.MIN_VALUE;
                for (Ev e : list) {
                    if (!session.isEmpty() && e.ts() >= end) {
                        groups.put(List.of(key, session.get(0).ts(), end), session);
                        session = new ArrayList<>();
                    }
                    session.add(e);
                    end = Math.max(end, e.ts() + s.gap());
                }
                groups.put(List.of(key, session.get(0).ts(), end), session);
            });
        } else if (windowing instanceof Windowing.Sliding s) {
            // every accepted event makes the window of the size up to it, holding every accepted event of its key
            // there: a late event is accepted only while its own window takes it, and so do the later ones
            for (Ev e : events) {
                List<Ev> group = new ArrayList<>();
                for (Ev other : events) {
                    if (other.key() == e.key() && other.ts() > e.ts() - s.size() && other.ts() <= e.ts()) {
                        group.add(other);
                    }
                }
                groups.put(List.of(e.key(), e.ts() + 1 - s.size(), e.ts() + 1), group);
            }
        } else {
            for (Ev e : events) {
                for (Window w : windowing.assign(e.ts())) {
                    long watermark = watermarkAtArrival.get(e);
                    if (watermark != Watermarks.NONE && watermark - w.end() >= lateness) {
                        continue;
                    }
                    groups.computeIfAbsent(List.of(e.key(), w.start(), w.end()), k -> new ArrayList<>())
                            .add(e);
                }
            }
        }
        Map<List<Object>, Map<String, Object>> out = new HashMap<>();
        groups.forEach((id, list) -> {
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            for (Aggregation a : aggregations) {
                Accumulator acc = a.newAccumulator();
                list.stream()
                        .sorted(Comparator.comparingLong(Ev::ts).thenComparingInt(Ev::seq))
                        .forEach(e -> acc.add(
                                a.field() == null ? Boolean.TRUE : fields(e).get(a.field()), e.ts()));
                values.put(a.output(), acc.result());
            }
            out.put(id, values);
        });
        return out;
    }
}
