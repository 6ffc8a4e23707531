package dev.sluice.stream.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AggregationsTest {
    @Test
    void shouldEstimateLargeDistinctCountsWithinTwoPercent() {
        Accumulator a = Aggregations.parse("users", "approx_count_distinct(u)").newAccumulator();
        Accumulator b = Aggregations.parse("users", "approx_count_distinct(u)").newAccumulator();
        for (int i = 0; i < 1_000_000; i++) {
            (i % 2 == 0 ? a : b).add("user-" + i, i);
            a.add("user-" + (i % 1000), i); // repeats change nothing
        }
        a.merge(b);
        assertThat(((Number) a.result()).doubleValue()).isCloseTo(1_000_000, within(20_000.0));
        Accumulator small = Aggregations.parse("u", "approx_count_distinct(u)").newAccumulator();
        for (int i = 0; i < 100; i++) {
            small.add(i % 37, i);
        }
        assertThat(small.result()).isEqualTo(37L);
    }

    /** A million keys' windows fit in memory: the state of one that saw a few values is a few bytes, not 16 KiB. */
    @Test
    void shouldKeepTheDistinctCountOfAFewValuesSmallInMemoryAndInCheckpoints() {
        Accumulator few = Aggregations.parse("u", "approx_count_distinct(u)").newAccumulator();
        for (int i = 0; i < 5; i++) {
            few.add("user-" + i, i);
        }
        String saved = (String) few.save();
        assertThat(saved.length()).isLessThan(100);
        Accumulator restored =
                Aggregations.parse("u", "approx_count_distinct(u)").newAccumulator();
        restored.load(saved);
        restored.add("user-5", 5);
        assertThat(restored.result()).isEqualTo(6L);
        Accumulator fromAnEarlierVersion =
                Aggregations.parse("u", "approx_count_distinct(u)").newAccumulator();
        fromAnEarlierVersion.load(java.util.Base64.getEncoder().encodeToString(new byte[1 << 14]));
        fromAnEarlierVersion.add("x", 0);
        assertThat(fromAnEarlierVersion.result()).isEqualTo(1L);
    }

    @Test
    void shouldComputePercentilesAndTopValues() {
        Accumulator p99 = Aggregations.parse("p99", "percentile(latency, 99)").newAccumulator();
        for (int i = 0; i < 10_000; i++) {
            p99.add(i, i);
        }
        assertThat((Double) p99.result()).isCloseTo(9_900, within(15.0));
        Accumulator top = Aggregations.parse("pages", "top(page, 2)").newAccumulator();
        for (String page : List.of("/a", "/b", "/a", "/c", "/b", "/a")) {
            top.add(page, 0);
        }
        assertThat(top.result())
                .isEqualTo(List.of(Map.of("value", "/a", "count", 3L), Map.of("value", "/b", "count", 2L)));
    }

    @Test
    void shouldKeepIntegerSumsExactAndTreatOneAndOnePointZeroAsOneValue() {
        Accumulator sum = Aggregations.parse("s", "sum(v)").newAccumulator();
        sum.add(Long.MAX_VALUE / 2, 0);
        sum.add(Long.MAX_VALUE / 2, 0);
        assertThat(sum.result()).isEqualTo(Long.MAX_VALUE - 1);
        Accumulator distinct = Aggregations.parse("d", "count_distinct(v)").newAccumulator();
        distinct.add(1, 0);
        distinct.add(1L, 0);
        distinct.add(1.0, 0);
        distinct.add(1.5, 0);
        assertThat(distinct.result()).isEqualTo(2L);
        Accumulator avg = Aggregations.parse("a", "avg(v)").newAccumulator();
        assertThat(avg.result()).isNull();
        avg.add("text is skipped", 0);
        avg.add(3, 0);
        assertThat(avg.result()).isEqualTo(3.0);
    }

    @Test
    void shouldExplainBadCalls() {
        assertThatThrownBy(() -> Aggregations.parse("n", "cnt()"))
                .hasMessageStartingWith(
                        "unknown aggregation 'cnt' in 'n: cnt()'. Did you mean 'count'? Aggregations: count, sum,");
        assertThatThrownBy(() -> Aggregations.parse("n", "count"))
                .hasMessage("'n: count' is not an aggregation; write it as function(field), such as count(),"
                        + " sum(amount) or percentile(latency, 99)");
        assertThatThrownBy(() -> Aggregations.parse("p", "percentile(latency)"))
                .hasMessage("percentile takes 2 arguments, got 1: write percentile(field, 99)");
        assertThatThrownBy(() -> Aggregations.parse("p", "percentile(latency, 101)"))
                .hasMessage("'p: percentile(latency, 101)': the percentile is from 0 to 100, got 101.0");
        assertThatThrownBy(() -> Aggregations.parse("t", "top(page, two)"))
                .hasMessage("'t: top(page, two)': 'two' is not a number");
        assertThatThrownBy(() -> new Windowing.Hopping(60_000, 120_000))
                .hasMessage("a hopping window's advance (120000 ms) must not exceed its size (60000 ms)");
    }

    @Test
    void shouldNotLetAnIdlePartitionHoldTheWatermark() {
        Watermarks w = new Watermarks(1_000, 5_000);
        w.register("p0", 0);
        w.register("p1", 0);
        w.onEvent("p0", 10_000, 100);
        assertThat(w.current(100)).as("p1 has said nothing yet").isEqualTo(Watermarks.NONE);
        w.onEvent("p0", 20_000, 5_000);
        assertThat(w.current(5_000)).as("p1 silent for 5 s: idle").isEqualTo(19_000);
        w.onEvent("p1", 12_000, 6_000);
        assertThat(w.current(6_000))
                .as("p1 speaks again: its partition's state keeps its own floor")
                .isEqualTo(11_000);
        w.onEvent("p1", 30_000, 7_000);
        w.onEvent("p0", 25_000, 7_000);
        assertThat(w.current(7_000)).isEqualTo(24_000);
    }

    /**
     * When every input went quiet and one speaks again, the others hold the watermark at their event time again for an
     * idle timeout: what they are about to send may be behind the first one's events, which must not make it late.
     */
    @Test
    void shouldWakeTheOtherIdleInputsWhenAnIdleOneSpeaksAgain() {
        Watermarks w = new Watermarks(1_000, 5_000);
        w.register("p0", 0);
        w.register("p1", 0);
        w.onEvent("p0", 10_000, 0);
        w.onEvent("p1", 10_500, 0);
        assertThat(w.current(6_000)).as("both quiet: the furthest").isEqualTo(9_500);
        w.onEvent("p0", 200_000, 6_000); // p0 resumes far ahead; p1's next events may be just after 10 500
        assertThat(w.current(6_000)).as("p1 woken: it holds").isEqualTo(9_500);
        assertThat(w.current(10_999)).isEqualTo(9_500);
        assertThat(w.current(11_000)).as("quiet for the idle timeout again").isEqualTo(199_000);
    }

    /**
     * Behind a by-key topic, origins read by different tasks of the stage before resume at once after a quiet spell;
     * the report that one of them is quiet may have been written just before it spoke again, so after an origin
     * resumes no report makes another idle for an idle timeout.
     */
    @Test
    void shouldWakeTheOtherIdleOriginsWhenOneResumes() {
        Watermarks w = Watermarks.reported(1_000, 3_000);
        w.register("o0", 0);
        w.register("o1", 0);
        w.onProgress("o0", 10_000, 3_000, 30_000, 0);
        w.onProgress("o1", 10_500, 3_000, 30_000, 0);
        assertThat(w.current(100)).as("both quiet at their sources").isEqualTo(9_500);
        w.onEvent("o0", 200_000, 1_000); // o0 resumes far ahead; o1's events, from another task, are on their way
        assertThat(w.current(1_000)).as("o1 woken").isEqualTo(9_500);
        w.onProgress("o1", 10_500, 4_000, 30_000, 1_100); // written before o1 spoke again
        assertThat(w.current(3_999))
                .as("a report does not make it idle again yet")
                .isEqualTo(9_500);
        w.onProgress("o1", 10_500, 7_000, 30_000, 4_000);
        assertThat(w.current(4_000)).as("quiet for the idle timeout since").isEqualTo(199_000);
    }

    /**
     * After a restart the task may wait a long time before it reads (a restore, a rebalance); the first input to speak
     * then must not set the watermark alone, or the events of the others, behind it in event time, would be late.
     */
    @Test
    void shouldNotTakeInputsForIdleWhileTheTaskDidNotRead() {
        Watermarks w = new Watermarks(1_000, 5_000);
        w.register("ahead", 0);
        w.register("behind", 0);
        w.pause(100_000); // restoring and waiting in the rebalance for 100 s
        w.onEvent("ahead", 500_000, 100_100);
        assertThat(w.current(100_100)).as("'behind' has not been read yet").isEqualTo(Watermarks.NONE);
        w.onEvent("behind", 10_000, 100_200);
        assertThat(w.current(100_200)).isEqualTo(9_000);
        w.onEvent("ahead", 510_000, 104_000);
        assertThat(w.current(105_200))
                .as("read for 5 s with nothing from 'behind': now it is idle")
                .isEqualTo(509_000);
    }

    /**
     * Behind a by-key topic, an origin's event time arrives with the reports of the stage before, whether or not any
     * of its events land in this by-key partition (Flink's watermarks through a shuffle): a quiet by-key partition
     * does not hold its windows open.
     */
    @Test
    void shouldTakeTheReportedEventTimeOfAnOriginNoneOfWhoseEventsArrive() {
        Watermarks w = Watermarks.reported(1_000, 3_000);
        w.register("o0", 0);
        w.register("o1", 0);
        w.onEvent("o0", 10_000, 100);
        assertThat(w.current(100)).as("o1 has said nothing yet").isEqualTo(Watermarks.NONE);
        w.onProgress("o1", 60_000, 0, 3_000, 200);
        assertThat(w.current(200)).isEqualTo(9_000);
        w.onProgress("o0", 70_000, 0, 3_000, 300);
        assertThat(w.current(300))
                .as("both origins moved on elsewhere: so does this partition")
                .isEqualTo(59_000);
        assertThat(w.current(100_000))
                .as("no timeout makes an origin idle: the last reported times hold")
                .isEqualTo(59_000);
    }

    /**
     * An origin is idle only while the stage before says it has been quiet at its source for the idle timeout; when
     * that claim is not renewed (the stage before may have been killed with events of the origin still to send), the
     * origin holds the watermark at its event time again.
     */
    @Test
    void shouldTakeAReportedOriginForIdleOnlyWhileItsStageBeforeSaysItIsQuiet() {
        Watermarks w = Watermarks.reported(1_000, 3_000);
        w.register("busy", 0);
        w.register("quiet", 0);
        w.onProgress("quiet", 20_000, 2_999, 3_000, 1_000);
        w.onProgress("busy", 50_000, 0, 3_000, 1_000);
        assertThat(w.current(1_000)).as("quiet for less than the idle timeout").isEqualTo(19_000);
        w.onProgress("quiet", 20_000, 3_000, 3_000, 2_000);
        assertThat(w.current(2_000)).as("quiet at its source for 3 s: idle").isEqualTo(49_000);
        assertThat(w.current(4_999)).isEqualTo(49_000);
        assertThat(w.current(5_000))
                .as("the claim was not renewed in time: held again")
                .isEqualTo(19_000);
        w.onProgress("quiet", 20_000, 6_000, 3_000, 5_500);
        assertThat(w.current(5_500)).as("renewed").isEqualTo(49_000);
        w.onEvent("quiet", 21_000, 5_600);
        assertThat(w.current(5_600))
                .as("an event of it came after the claim: it holds again")
                .isEqualTo(20_000);
        w.onProgress("quiet", 21_000, 4_000, 3_000, 10_000);
        w.pause(10_000); // then the task stood still (a rebalance) for 10 s
        assertThat(w.current(22_999))
                .as("a claim lasts its time of reading: the 10 s the task stood still do not count")
                .isEqualTo(49_000);
        assertThat(w.current(23_000)).isEqualTo(20_000);
    }
}
