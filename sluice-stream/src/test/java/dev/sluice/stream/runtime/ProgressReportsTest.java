package dev.sluice.stream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.broker.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProgressReportsTest {
    private static final Set<TopicPartition> READING = Set.of(new TopicPartition("clicks", 0));

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
            ConsumedEvent e = new ConsumedEvent(
                    partition.topic(), partition.partition(), 0, event.timestamp(), null, null, event.headers());
            ProgressReports.Report r = ProgressReports.read(e);
            sent.add(partition.partition() + ": " + (r.caughtUp() ? "caught up " : "reading ") + r.origins());
        }

        @Override
        public boolean complete(List<ConsumedEvent> batch) {
            return true;
        }
    };

    @Test
    void shouldReportEverySecondWhileReadingThenOnceWhenCaughtUp() {
        ProgressReports reports = new ProgressReports("by-key", 2, 0);
        reports.onRead(500);
        reports.sendIfDue(delivery, READING, 900);
        assertThat(sent).as("not due before a second").isEmpty();
        reports.onRead(1_000);
        reports.sendIfDue(delivery, READING, 1_000);
        assertThat(sent).containsExactly("0: reading [clicks/0]", "1: reading [clicks/0]");
        reports.sendIfDue(delivery, READING, 1_500);
        reports.onRead(1_900);
        assertThat(reports.due(READING, 2_000)).isTrue();
        reports.sendIfDue(delivery, READING, 2_000);
        assertThat(reports.due(READING, 3_500)).isTrue();
        reports.sendIfDue(delivery, READING, 3_500); // nothing read for 1.6 s
        assertThat(reports.due(READING, 9_000))
                .as("caught up: said again only every 10 s")
                .isFalse();
        reports.sendIfDue(delivery, READING, 9_000);
        assertThat(reports.due(List.of(), 9_000))
                .as("nothing to report without partitions")
                .isFalse();
        assertThat(sent)
                .containsExactly(
                        "0: reading [clicks/0]",
                        "1: reading [clicks/0]",
                        "0: reading [clicks/0]",
                        "1: reading [clicks/0]",
                        "0: caught up [clicks/0]",
                        "1: caught up [clicks/0]");
        reports.sendIfDue(delivery, READING, 13_500);
        assertThat(sent).hasSize(8).endsWith("1: caught up [clicks/0]");
        reports.onRead(14_000);
        reports.sendIfDue(delivery, READING, 14_500);
        assertThat(sent).hasSize(10).endsWith("1: reading [clicks/0]");
    }

    @Test
    void shouldTakeOnlyItsOwnNullValuedEventsForReports() {
        assertThat(ProgressReports.read(event(new byte[] {'{', '}'}, "sluice.progress", "reading clicks/0")))
                .as("an event with a value")
                .isNull();
        assertThat(ProgressReports.read(event(null, "other", "reading clicks/0")))
                .isNull();
        assertThat(ProgressReports.read(event(null, "sluice.progress", "resting clicks/0")))
                .isNull();
        assertThat(ProgressReports.read(event(null, "sluice.progress", "reading clicks-0")))
                .isNull();
        assertThat(ProgressReports.read(event(null, "sluice.progress", "caught-up a.b/1,c/0")))
                .isEqualTo(new ProgressReports.Report(
                        List.of(new TopicPartition("a.b", 1), new TopicPartition("c", 0)), true));
    }

    private static ConsumedEvent event(byte[] value, String header, String headerValue) {
        return new ConsumedEvent("t", 0, 0, 0, null, value, List.of(Header.of(header, headerValue)));
    }
}
