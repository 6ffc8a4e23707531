package dev.sluice.stream.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.StepSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A window step's event time as partitions come and go between tasks. */
class WindowStepPartitionsTest {
    private static final TopicPartition P0 = new TopicPartition("in", 0);
    private static final TopicPartition P1 = new TopicPartition("in", 1);
    private static final long T0 = 1_800_000_000_000L;

    @TempDir
    Path dir;

    /**
     * A task that has read one partition far ahead in event time is given another one, restored from a checkpoint
     * taken by its previous owner, behind it: the new partition's events are not late, its windows close by its own
     * progress, and the first partition's watermark does not go back.
     */
    @Test
    void shouldNotTakeTheEventsOfAPartitionGivenLaterForLate() {
        StatefulStep previousOwner = window();
        previousOwner.onAssigned(List.of(P1), 0);
        List<StreamRecord> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            previousOwner.apply(click(P1, i, T0 + i * 1_000L), out::add);
        }
        Map<String, Object> kept = previousOwner.checkpointState(P1);
        List<byte[][]> entries = new ArrayList<>();
        previousOwner.drainChanges(P1, (k, v) -> entries.add(new byte[][] {k, v}));

        StatefulStep task = window();
        task.onAssigned(List.of(P0), 0);
        for (int i = 0; i < 100; i++) {
            task.apply(click(P0, i, T0 + 3_600_000L + i * 1_000L), out::add); // an hour ahead
        }
        task.onTime(0, out::add);
        out.clear();
        task.onAssigned(List.of(P1), 0);
        task.restore(P1, entries, kept);
        for (int i = 30; i < 130; i++) {
            long time = T0 + i * 1_000L;
            int offset = i;
            assertThatCode(() -> task.apply(click(P1, offset, time), out::add))
                    .as("event %d of the partition given later", i)
                    .doesNotThrowAnyException();
        }
        task.onTime(0, out::add);
        List<Object> p1Windows = out.stream()
                .filter(r -> r.fields().get("page").equals("/p1"))
                .map(r -> r.fields().get("views"))
                .toList();
        assertThat(p1Windows).as("the first minute of /p1, every click counted").startsWith(60L);
        out.clear();
        assertThatCode(() -> task.apply(click(P0, 100, T0 + 3_600_000L + 100_000L), out::add))
                .as("the first partition goes on where it was")
                .doesNotThrowAnyException();
        assertThat(Long.valueOf(String.valueOf(task.checkpointState(P0).get("watermark"))))
                .isGreaterThan(T0 + 3_600_000L);
    }

    private static StreamRecord click(TopicPartition p, long offset, long time) {
        String page = "/p" + p.partition();
        byte[] value = Json.write(Map.of("page", page, "ts", time));
        StreamRecord r = StreamRecord.of(new ConsumedEvent(
                p.topic(), p.partition(), offset, time, page.getBytes(StandardCharsets.UTF_8), value, List.of()));
        r.value(Json.parseObject(value));
        return r;
    }

    private StatefulStep window() {
        Map<String, Object> argument = Map.of(
                "tumbling",
                "1m",
                "by",
                "page",
                "time",
                "ts",
                "out-of-order",
                "5s",
                "aggregate",
                Map.of("views", "count()"));
        return (StatefulStep) Steps.create(
                new StepSpec("window", argument, Location.DSL),
                new StepContext(dir, Clock.systemUTC()).forScope("p.s"));
    }
}
