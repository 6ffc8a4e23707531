package dev.sluice.stream.join;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * An interval join, fed events in an order that is out of order by at most the watermark's allowance, and restored
 * from its own checkpoint at a random moment, gives exactly the pairs a plain nested loop over all events gives.
 */
class IntervalJoinProperties {
    private static final long OUT_OF_ORDER = 50;

    @Property(tries = 300)
    void shouldGiveEveryPairWithinTheIntervalOnceAndUnmatchedEventsOnceInALeftJoin(
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 80) int events,
            @ForAll @IntRange(min = 0, max = 40) int within,
            @ForAll boolean left) {
        Random random = new Random(seed);
        List<IntervalJoin.Held> all = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            IntervalJoin.Side side = random.nextBoolean() ? IntervalJoin.Side.THIS : IntervalJoin.Side.OTHER;
            long time = i * 10L + random.nextInt((int) OUT_OF_ORDER + 1); // never behind the watermark
            all.add(new IntervalJoin.Held("e" + i, side, "k" + random.nextInt(3), time, Map.of("i", i)));
        }
        List<String> expected = reference(all, within, left);

        List<String> got = new ArrayList<>();
        Consumer<IntervalJoin.Pair> out = p -> got.add(describe(p));
        IntervalJoin join = new IntervalJoin(within, left);
        int restoreAt = events == 0 ? 0 : random.nextInt(events);
        long maxTime = Long.MIN_VALUE;
        for (int i = 0; i < all.size(); i++) {
            if (i == restoreAt) { // a crash right after a checkpoint: go on from what it kept
                IntervalJoin restored = new IntervalJoin(within, left);
                for (IntervalJoin.Change c : join.all()) {
                    restored.restore(c.held(), c.matched());
                }
                join = restored;
            }
            IntervalJoin.Held e = all.get(i);
            maxTime = Math.max(maxTime, e.time());
            long watermark = maxTime - OUT_OF_ORDER;
            assertThat(join.add(e, watermark, out)).as("event %s on time", e).isTrue();
            join.advance(watermark, out);
        }
        join.advance(Long.MAX_VALUE, out);
        assertThat(join.size()).isZero();
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Property(tries = 100)
    void shouldRefuseAnEventBehindTheWatermark(@ForAll @IntRange(min = 1, max = 1000) int behind) {
        IntervalJoin join = new IntervalJoin(10, true);
        List<String> got = new ArrayList<>();
        assertThat(join.add(held("a", IntervalJoin.Side.THIS, 5_000), 5_000, p -> got.add(describe(p))))
                .isTrue();
        assertThat(join.add(held("b", IntervalJoin.Side.OTHER, 5_000 - behind), 5_000, p -> got.add(describe(p))))
                .isFalse();
        assertThat(got).isEmpty();
        assertThat(join.size()).isEqualTo(1);
    }

    private static IntervalJoin.Held held(String id, IntervalJoin.Side side, long time) {
        return new IntervalJoin.Held(id, side, "k", time, Map.of());
    }

    private static List<String> reference(List<IntervalJoin.Held> all, long within, boolean left) {
        List<String> out = new ArrayList<>();
        List<IntervalJoin.Held> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(IntervalJoin.Held::id));
        for (IntervalJoin.Held a : sorted) {
            if (a.side() != IntervalJoin.Side.THIS) {
                continue;
            }
            boolean matched = false;
            for (IntervalJoin.Held b : sorted) {
                if (b.side() == IntervalJoin.Side.OTHER
                        && a.key().equals(b.key())
                        && Math.abs(a.time() - b.time()) <= within) {
                    out.add(a.id() + "+" + b.id());
                    matched = true;
                }
            }
            if (left && !matched) {
                out.add(a.id() + "+null");
            }
        }
        return out;
    }

    private static String describe(IntervalJoin.Pair p) {
        return p.self().id() + "+" + (p.other() == null ? "null" : p.other().id());
    }
}
