package dev.sluice.stream.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Snapshots of a window operator's changes hold the state as it was when taken, whatever changes after. */
class WindowSnapshotTest {
    private static final List<Aggregation> AGGREGATIONS =
            List.of(Aggregations.parse("n", "count()"), Aggregations.parse("users", "count_distinct(user)"));

    @Test
    void shouldHandOverTheStateAsItWasWhenTakenWhileTheOperatorGoesOn() {
        for (Windowing windowing : List.of(
                new Windowing.Tumbling(60_000), new Windowing.Hopping(60_000, 20_000), new Windowing.Session(30_000))) {
            Random random = new Random(3);
            WindowOperator operator = new WindowOperator(windowing, 10_000, AGGREGATIONS, true);
            long watermark = 0;
            Map<WindowOperator.SlotKey, Object> replica = new HashMap<>();
            for (int round = 0; round < 30; round++) {
                for (int i = 0; i < 200; i++) {
                    long ts = watermark + random.nextInt(90_000);
                    operator.add(
                            "k" + random.nextInt(8), ts, Map.of("user", "u" + random.nextInt(20)), watermark, r -> {});
                }
                Map<WindowOperator.SlotKey, Object> atSnapshot = all(operator);
                WindowOperator.Snapshot snapshot = operator.snapshot();
                // the operator goes on before the snapshot is written out: changes, merges, closes and removals
                for (int i = 0; i < 100; i++) {
                    long ts = watermark + random.nextInt(90_000);
                    operator.add(
                            "k" + random.nextInt(8), ts, Map.of("user", "x" + random.nextInt(20)), watermark, r -> {});
                }
                watermark += 25_000;
                operator.advance(watermark, r -> {});
                assertThatThrownBy(operator::snapshot).isInstanceOf(IllegalStateException.class);
                snapshot.forEach((slot, saved) -> {
                    if (saved == null) {
                        replica.remove(slot);
                    } else {
                        replica.put(slot, saved);
                    }
                });
                assertThat(replica).as("%s, round %d", windowing, round).isEqualTo(atSnapshot);
            }
        }
    }

    /** A slot no snapshot held needs no deletion in the changelog; one an earlier snapshot held does. */
    @Test
    void shouldWriteNoDeletionForASlotCreatedAndRemovedBetweenTwoSnapshots() {
        WindowOperator operator = new WindowOperator(new Windowing.Tumbling(60_000), 0, AGGREGATIONS, true);
        operator.add("kept", 1_000, Map.of("user", "u1"), 0, r -> {});
        operator.snapshot().forEach((slot, saved) -> {});
        operator.add("brief", 2_000, Map.of("user", "u2"), 0, r -> {});
        operator.advance(60_000, r -> {}); // the window closes and, with no lateness, goes
        List<String> written = new ArrayList<>();
        operator.snapshot().forEach((slot, saved) -> written.add(slot.key() + (saved == null ? " deleted" : " saved")));
        assertThat(written).containsExactly("kept deleted");
    }

    @Test
    void shouldKeepTheValueOfASlotRemovedAfterTheSnapshot() {
        WindowOperator operator = new WindowOperator(new Windowing.Tumbling(60_000), 0, AGGREGATIONS, true);
        operator.add("a", 1_000, Map.of("user", "u1"), 0, r -> {});
        Map<WindowOperator.SlotKey, Object> before = all(operator);
        WindowOperator.Snapshot snapshot = operator.snapshot();
        List<Object> results = new ArrayList<>();
        operator.advance(120_000, results::add); // closes and removes the window
        assertThat(results).hasSize(1);
        Map<WindowOperator.SlotKey, Object> written = new HashMap<>();
        snapshot.forEach(written::put);
        assertThat(written).isEqualTo(before);
        Map<WindowOperator.SlotKey, Object> next = new HashMap<>();
        operator.snapshot().forEach(next::put);
        assertThat(next).containsOnlyKeys(before.keySet()).containsValue(null);
    }

    private static Map<WindowOperator.SlotKey, Object> all(WindowOperator operator) {
        Map<WindowOperator.SlotKey, Object> out = new HashMap<>();
        operator.saveAll(out::put);
        return out;
    }
}
