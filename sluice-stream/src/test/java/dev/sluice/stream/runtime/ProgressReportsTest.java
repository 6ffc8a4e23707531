package dev.sluice.stream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.step.ProgressReport;
import dev.sluice.stream.step.ProgressReport.OriginProgress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressReportsTest {
    private static final TopicPartition C0 = new TopicPartition("clicks", 0);
    private static final TopicPartition C1 = new TopicPartition("clicks", 1);

    /** What the task sent, as "partition: report". */
    private final List<String> sent = new ArrayList<>();

    private final Delivery delivery = new Delivery() {
        @Override
        public void begin() {}

        @Override
        public void send(String topic, Event event) {
            throw new AssertionError("reports go to one partition each");
        }

        @Override
        public void send(TopicPartition partition, Event event) {
            ProgressReport r = ProgressReports.read(consumed(null, event.headers()));
            sent.add(partition.partition() + ": " + r);
        }

        @Override
        public boolean complete(List<ConsumedEvent> batch) {
            return true;
        }
    };

    @Test
    void shouldReportEachOriginsLatestEventTimeAndQuietTimeToEveryPartition() {
        ProgressReports reports = new ProgressReports(new PipelinePlan.Progress("by-key", 2, 5_000), tp -> true, 0);
        reports.onAssigned(List.of(C0, C1), 0);
        reports.onSent(C0, 1_000, 100);
        reports.onSent(C0, 900, 200); // out of order: the latest stays
        reports.sendIfDue(delivery, 900);
        assertThat(sent).as("not due before a second").isEmpty();
        reports.sendIfDue(delivery, 1_000);
        ProgressReport expected = new ProgressReport(
                List.of(new OriginProgress(C0, 1_000, 800), new OriginProgress(C1, ProgressReport.NO_TIME, 1_000)),
                1_000);
        assertThat(sent).containsExactlyInAnyOrder("0: " + expected, "1: " + expected);
    }

    @Test
    void shouldReportLessOftenWhenQuietAndAtOnceWhenAnOriginGoesIdle() {
        ProgressReports reports = new ProgressReports(new PipelinePlan.Progress("by-key", 1, 5_000), tp -> true, 0);
        reports.onAssigned(List.of(C0), 0);
        reports.onSent(C0, 1_000, 0);
        reports.sendIfDue(delivery, 1_000);
        assertThat(sent).hasSize(1).allMatch(r -> r.contains("nextWithinMs=10000"), "quiet for a second");
        assertThat(reports.due(4_999)).isFalse();
        assertThat(reports.due(5_000))
                .as("quiet for the idle timeout: said at once")
                .isTrue();
        reports.sendIfDue(delivery, 5_000);
        assertThat(reports.due(14_999)).isFalse();
        assertThat(reports.due(15_000)).isTrue();
        reports.onSent(C0, 2_000, 15_000);
        assertThat(reports.due(15_000)).as("it spoke again: said at once").isTrue();
    }

    @Test
    void shouldSayAheadOfItsEventsThatQuietOriginsSpeakAgain() {
        ProgressReports reports = new ProgressReports(new PipelinePlan.Progress("by-key", 1, 5_000), tp -> true, 0);
        reports.onAssigned(List.of(C0, C1), 0);
        reports.beforeBatch(List.of(consumedFrom(C0)), delivery, 100);
        assertThat(sent).as("nothing was called quiet").isEmpty();
        reports.sendIfDue(delivery, 5_000);
        assertThat(sent).hasSize(1).allMatch(r -> r.contains("quietMs=5000"));
        reports.beforeBatch(List.of(consumedFrom(C1)), delivery, 6_000);
        assertThat(sent)
                .as("both woken and said so before the batch")
                .hasSize(2)
                .last()
                .isEqualTo("0: "
                        + new ProgressReport(
                                List.of(
                                        new OriginProgress(C0, ProgressReport.NO_TIME, 0),
                                        new OriginProgress(C1, ProgressReport.NO_TIME, 0)),
                                1_000));
        reports.beforeBatch(List.of(consumedFrom(C1)), delivery, 6_100);
        assertThat(sent).as("said once").hasSize(2);
    }

    @Test
    void shouldNotCallQuietAnOriginWithEventsTheTaskHasNotRead() {
        java.util.Set<TopicPartition> readToEnd = new java.util.HashSet<>();
        ProgressReports reports =
                new ProgressReports(new PipelinePlan.Progress("by-key", 1, 5_000), readToEnd::contains, 0);
        reports.onAssigned(List.of(C0, C1), 0);
        reports.onSent(C0, 1_000, 4_000);
        reports.sendIfDue(delivery, 4_500);
        assertThat(reports.due(5_000))
                .as("quiet for the idle timeout, but with events unread")
                .isFalse();
        reports.sendIfDue(delivery, 5_500);
        assertThat(sent.get(1))
                .isEqualTo("0: "
                        + new ProgressReport(
                                List.of(
                                        new OriginProgress(C0, 1_000, 1_500),
                                        new OriginProgress(C1, ProgressReport.NO_TIME, 0)),
                                1_000));
        readToEnd.add(C1);
        assertThat(reports.due(5_600))
                .as("the broker is asked again a second later")
                .isFalse();
        assertThat(reports.due(6_500)).as("read to its end: said at once").isTrue();
        reports.sendIfDue(delivery, 6_500);
        assertThat(sent.get(2))
                .isEqualTo("0: "
                        + new ProgressReport(
                                List.of(
                                        new OriginProgress(C0, 1_000, 2_500),
                                        new OriginProgress(C1, ProgressReport.NO_TIME, 6_500)),
                                10_000));
    }

    @Test
    void shouldLeaveTheTimeTheTaskStoodStillOutOfQuietTime() {
        ProgressReports reports = new ProgressReports(new PipelinePlan.Progress("by-key", 1, 5_000), tp -> true, 0);
        reports.onAssigned(List.of(C0), 0);
        reports.pause(60_000);
        reports.sendIfDue(delivery, 61_000);
        assertThat(sent)
                .containsExactly("0: "
                        + new ProgressReport(List.of(new OriginProgress(C0, ProgressReport.NO_TIME, 1_000)), 10_000));
    }

    @Test
    void shouldTakeOnlyItsOwnNullValuedEventsForReports() {
        List<Header> report =
                List.of(Header.of("sluice.progress", "{\"next\":1000,\"origins\":{\"a.b/1\":{\"quiet\":5}}}"));
        assertThat(ProgressReports.isReport(consumed(new byte[] {'{', '}'}, report)))
                .as("an event with a value")
                .isFalse();
        assertThat(ProgressReports.isReport(consumed(null, List.of(Header.of("other", "x")))))
                .isFalse();
        assertThat(ProgressReports.read(consumed(null, report)))
                .isEqualTo(new ProgressReport(
                        List.of(new OriginProgress(new TopicPartition("a.b", 1), ProgressReport.NO_TIME, 5)), 1_000));
        ConsumedEvent older = consumed(null, List.of(Header.of("sluice.progress", "reading clicks/0")));
        assertThat(ProgressReports.isReport(older))
                .as("a report of an earlier version is skipped")
                .isTrue();
        assertThat(ProgressReports.read(older)).as("but says nothing").isNull();
        assertThat(ProgressReports.read(consumed(null, List.of(Header.of("sluice.progress", "{\"next\":\"x\"}")))))
                .isNull();
    }

    private static ConsumedEvent consumedFrom(TopicPartition tp) {
        return new ConsumedEvent(tp.topic(), tp.partition(), 0, 0, null, new byte[] {'{', '}'}, List.of());
    }

    private static ConsumedEvent consumed(byte[] value, List<Header> headers) {
        return new ConsumedEvent("t", 0, 0, 0, null, value, headers);
    }
}
