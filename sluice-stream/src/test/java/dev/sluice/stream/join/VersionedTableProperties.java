package dev.sluice.stream.join;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** A versioned table answers as a plain scan of every version ever written would, whatever order they came in. */
class VersionedTableProperties {
    private record Version(String key, long time, int seq, Map<String, Object> row) {}

    @Property(tries = 300)
    void shouldAnswerEachTimeWithTheLastVersionAtOrBeforeItWhateverTheArrivalOrder(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int versions) {
        Random random = new Random(seed);
        List<Version> written = new ArrayList<>();
        for (int i = 0; i < versions; i++) {
            String key = "k" + random.nextInt(4);
            long time = random.nextInt(100);
            // a deletion now and then; a time written twice keeps the later write
            Map<String, Object> row = random.nextInt(6) == 0 ? null : Map.of("v", i);
            written.add(new Version(key, time, i, row));
        }
        List<Version> arrival = new ArrayList<>(written);
        Collections.shuffle(arrival, random);
        VersionedTable table = new VersionedTable(Long.MAX_VALUE / 2);
        int seq = 0;
        List<Version> stored = new ArrayList<>();
        for (Version v : arrival) {
            table.put(v.key(), v.time(), v.row());
            stored.add(new Version(v.key(), v.time(), seq++, v.row()));
        }
        for (int k = 0; k < 4; k++) {
            for (long t = -1; t <= 100; t++) {
                assertThat(table.asOf("k" + k, t)).as("k%d at %d", k, t).isEqualTo(scan(stored, "k" + k, t));
            }
            assertThat(table.latest("k" + k)).isEqualTo(scan(stored, "k" + k, Long.MAX_VALUE));
        }
    }

    @Property(tries = 200)
    void shouldAnswerAsBeforeForEveryTimeWithinTheHistory(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int versions) {
        Random random = new Random(seed);
        long history = 30;
        VersionedTable kept = new VersionedTable(history);
        List<Version> stored = new ArrayList<>();
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < versions; i++) {
            long time = random.nextInt(200);
            Map<String, Object> row = random.nextInt(6) == 0 ? null : Map.of("v", i);
            kept.put("k", time, row);
            stored.add(new Version("k", time, i, row));
            newest = Math.max(newest, time);
        }
        for (long t = newest - history; t <= newest + 5; t++) {
            assertThat(kept.asOf("k", t)).as("at %d", t).isEqualTo(scan(stored, "k", t));
        }
    }

    @Example
    void shouldKeepADeletionSoThatAnOlderRowArrivingLaterDoesNotComeBack() {
        VersionedTable table = new VersionedTable(1_000);
        table.put("k", 20, null);
        table.put("k", 10, Map.of("v", 1));
        assertThat(table.asOf("k", 15)).isEqualTo(Map.of("v", 1));
        assertThat(table.asOf("k", 25)).isNull();
        assertThat(table.latest("k")).isNull();
    }

    /** The row of the key's last version at or before the time (the last written wins a tie), or null. */
    private static Map<String, Object> scan(List<Version> stored, String key, long time) {
        Version best = null;
        for (Version v : stored) {
            if (v.key().equals(key)
                    && v.time() <= time
                    && (best == null || v.time() > best.time() || v.time() == best.time() && v.seq() > best.seq())) {
                best = v;
            }
        }
        return best == null ? null : best.row();
    }
}
