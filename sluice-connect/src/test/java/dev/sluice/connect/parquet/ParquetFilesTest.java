package dev.sluice.connect.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.SinkException;
import dev.sluice.stream.connector.TransactionalSink;
import dev.sluice.stream.spec.PipelineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet files: partitioned, readable by DuckDB, published in two phases, and what does not fit goes aside. */
class ParquetFilesTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final long T13 = 1_795_611_600_000L; // 2026-11-25T09:00:00Z

    @TempDir
    Path dir;

    @Test
    void shouldPublishPartitionedFilesOnlyAfterTheCommit() throws Exception {
        try (TransactionalSink sink = sink(Map.of(
                "schema",
                Map.of("id", "long", "country", "string", "amount", "double", "at", "timestamp"),
                "partition-by",
                List.of("country"),
                "time-partitions",
                "hour",
                "time-field",
                "at"))) {
            sink.open();
            sink.write(List.of(
                    event(P0, 10, "{\"id\":1,\"country\":\"NL\",\"amount\":2.5,\"at\":\"2026-11-25T13:05:00Z\"}"),
                    event(P1, 3, "{\"id\":2,\"country\":\"DE\",\"amount\":4,\"at\":\"2026-11-25T14:59:59Z\"}"),
                    event(P0, 11, "{\"id\":3,\"country\":\"NL\",\"amount\":1,\"at\":\"2026-11-25T13:10:00Z\"}")));
            assertThat(published()).isEmpty();
            sink.prepare();
            assertThat(published()).isEmpty(); // prepared, not yet committed
            assertThat(query("SELECT count(*) FROM glob('" + dir + "/**/*.parquet')"))
                    .as("what a reader's glob finds, hidden directories included")
                    .isEqualTo("0");
            sink.publish();
            assertThat(published())
                    .containsExactly(
                            "date=2026-11-25/hour=13/country=NL/lake-orders-0-10-11-0_0.parquet",
                            "date=2026-11-25/hour=14/country=DE/lake-orders-1-3-3-0_0.parquet");
            assertThat(query("SELECT string_agg(id || ':' || country || ':' || amount || ':' || hour, ',' ORDER BY id)"
                            + " FROM read_parquet('" + dir + "/**/*.parquet', hive_partitioning = true)"))
                    .isEqualTo("1:NL:2.5:13,2:DE:4.0:14,3:NL:1.0:13");
            assertThat(query("SELECT DISTINCT compression FROM parquet_metadata('" + dir + "/**/*.parquet')"))
                    .isEqualTo("ZSTD");
            assertThat(hidden()).isEmpty();
        }
    }

    @Test
    void shouldWriteTheColumnsInTheOrderOfTheSchema() throws Exception {
        Map<String, Object> schema = new LinkedHashMap<>();
        for (String name : List.of("zeta", "alpha", "mid", "beta", "omega", "delta", "at")) {
            schema.put(name, "string");
        }
        try (TransactionalSink sink = sink(Map.of("schema", schema))) {
            sink.open();
            sink.write(List.of(event(P0, 0, "{\"alpha\":\"a\"}")));
            sink.prepare();
            sink.publish();
        }
        assertThat(query("SELECT string_agg(column_name, ',') FROM (DESCRIBE SELECT * FROM '" + dir + "/*.parquet')"))
                .isEqualTo("zeta,alpha,mid,beta,omega,delta,at");
    }

    @Test
    void shouldOnRestartPublishWhatWasCommittedAndDeleteWhatWasNot() throws Exception {
        try (TransactionalSink crashed = sink(Map.of())) {
            crashed.open();
            crashed.write(List.of(event(P0, 10, "{\"n\":1}"), event(P1, 3, "{\"n\":2}")));
            crashed.prepare(); // crash after preparing: P0's commit went through, P1's did not
            crashed.write(List.of(event(P0, 12, "{\"n\":3}"))); // and a file written but not prepared
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        committed.put(P0, 12L);
        committed.put(P1, 3L); // offset 3 is read again
        try (TransactionalSink restarted = sink(Map.of())) {
            restarted.open();
            restarted.recover(committed);
            assertThat(published()).containsExactly("lake-orders-0-10-10-0.parquet");
            assertThat(hidden()).isEmpty();
            assertThat(query("SELECT sum(n) FROM '" + dir + "/*.parquet'")).isEqualTo("1");
        }
    }

    @Test
    void shouldForgetLostPartitionsAndNotPublishWhatWasPreparedForThem() throws Exception {
        try (TransactionalSink sink = sink(Map.of())) {
            sink.open();
            sink.write(List.of(event(P0, 10, "{\"n\":1}"), event(P1, 3, "{\"n\":2}")));
            sink.prepare(); // and the commit failed: nothing published yet
            sink.write(List.of(event(P0, 11, "{\"n\":4}"), event(P1, 4, "{\"n\":8}")));
            sink.forget(List.of(P1)); // the group took P1 away
            sink.prepare();
            sink.publish(); // the commit held P0's offsets only
            assertThat(query("SELECT sum(n) FROM '" + dir + "/*.parquet'")).isEqualTo("5");
            assertThat(hidden())
                    .containsExactly(".pending/lake-orders-1-3-3", ".pending/lake-orders-1-3-3/0.parquet-staged");
        }
    }

    @Test
    void shouldLeaveTheNextOwnersFilesAloneWhenForgettingALostPartition() throws Exception {
        try (TransactionalSink lost = sink(Map.of("roll-size", "1KiB"));
                TransactionalSink next = sink(Map.of("roll-size", "1KiB"))) {
            lost.open();
            next.open();
            List<StreamRecord> events = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                events.add(event(P1, 3 + i, "{\"n\":" + i + "}"));
            }
            lost.write(events); // rolled: files being copied for P1 from offset 3
            next.recover(Map.of(P1, 3L)); // the group gave P1 to another task while this one was busy
            next.write(events); // rolled too, from the same offset
            lost.forget(List.of(P1));
            next.prepare();
            next.publish();
            assertThat(query("SELECT count(*) || ' ' || sum(n) FROM '" + dir + "/*.parquet'"))
                    .isEqualTo("100 4950");
        }
    }

    /**
     * A commit that was refused leaves its prepared files for the next commit, which covers both; after a crash before
     * publishing, the restart publishes both.
     */
    @Test
    void shouldPublishEveryPreparedOutputTheCommitCovers() throws Exception {
        try (TransactionalSink crashed = sink(Map.of())) {
            crashed.open();
            crashed.write(List.of(event(P1, 3, "{\"n\":3}"), event(P1, 4, "{\"n\":4}")));
            crashed.prepare(); // and the commit was refused
            crashed.write(List.of(event(P1, 5, "{\"n\":5}")));
            crashed.prepare(); // committed 6, and a crash before publishing
        }
        try (TransactionalSink restarted = sink(Map.of())) {
            restarted.open();
            restarted.recover(Map.of(P1, 6L));
            assertThat(query("SELECT count(*) || ' ' || sum(n) FROM '" + dir + "/**/*.parquet'"))
                    .isEqualTo("3 12");
            assertThat(hidden()).isEmpty();
        }
    }

    /**
     * A task that lost P1 without knowing yet prepares after the next owner recovered P1 (its commit fails); once the
     * next owner's commits cover its offsets, a restart still publishes the next owner's files only.
     */
    @Test
    void shouldNotPublishWhatATaskPreparedAfterLosingThePartition() throws Exception {
        try (TransactionalSink lost = sink(Map.of());
                TransactionalSink next = sink(Map.of())) {
            lost.open();
            next.open();
            lost.recover(Map.of(P1, 3L));
            lost.write(List.of(event(P1, 3, "{\"n\":3}"), event(P1, 4, "{\"n\":4}")));
            next.recover(Map.of(P1, 3L));
            next.write(List.of(event(P1, 3, "{\"n\":3}")));
            lost.prepare();
            next.write(List.of(event(P1, 4, "{\"n\":4}"), event(P1, 5, "{\"n\":5}")));
            next.prepare();
            next.publish(); // committed 6
        }
        try (TransactionalSink restarted = sink(Map.of())) {
            restarted.open();
            restarted.recover(Map.of(P1, 6L));
            assertThat(query("SELECT count(*) || ' ' || sum(n) FROM '" + dir + "/**/*.parquet'"))
                    .isEqualTo("3 12");
            assertThat(hidden()).isEmpty();
        }
    }

    @Test
    void shouldLeaveOtherTasksPartitionsAlone() throws Exception {
        try (TransactionalSink other = sink(Map.of())) {
            other.open();
            other.write(List.of(event(P1, 3, "{\"n\":1}")));
            other.prepare();
        }
        try (TransactionalSink restarted = sink(Map.of())) {
            restarted.open();
            restarted.recover(Map.of(P0, 0L));
            assertThat(hidden())
                    .containsExactly(".pending/lake-orders-1-3-3", ".pending/lake-orders-1-3-3/0.parquet-staged");
        }
    }

    @Test
    void shouldRollAFileWhenAPartitionBufferedTheRollSize() throws Exception {
        try (TransactionalSink sink = sink(Map.of("roll-size", "100B", "compression", "snappy"))) {
            sink.open();
            List<StreamRecord> batch = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                batch.add(event(P0, i, "{\"n\":" + i + ",\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxx\"}")); // 40 bytes
            }
            sink.write(batch);
            sink.prepare();
            sink.publish();
            assertThat(published()).hasSize(10); // 3 events a file
            assertThat(query("SELECT count(*) || ' ' || sum(n) FROM '" + dir + "/*.parquet'"))
                    .isEqualTo("30 435");
            assertThat(query("SELECT DISTINCT compression FROM parquet_metadata('" + dir + "/*.parquet')"))
                    .isEqualTo("SNAPPY");
        }
    }

    @Test
    void shouldGrowAnInferredSchemaWithNewFieldsAndFractions() throws Exception {
        try (TransactionalSink sink = sink(Map.of())) {
            sink.open();
            sink.write(List.of(event(P0, 0, "{\"id\":1,\"price\":10}"), event(P1, 0, "{\"id\":2,\"price\":11}")));
            sink.write(List.of(
                    event(P0, 1, "{\"id\":3,\"price\":10.5,\"tags\":[\"a\"],\"coupon\":\"X\"}"),
                    event(P1, 1, "{\"id\":4,\"price\":12,\"ok\":true}")));
            sink.prepare();
            sink.publish();
            assertThat(query("SELECT string_agg(id || '/' || price || '/' || coalesce(coupon, '-') || '/'"
                            + " || coalesce(tags::VARCHAR, '-') || '/' || coalesce(ok::VARCHAR, '-'), ',' ORDER BY id)"
                            + " FROM read_parquet('" + dir + "/*.parquet', union_by_name = true)"))
                    .isEqualTo("1/10.0/-/-/-,2/11.0/-/-/-,3/10.5/X/[\"a\"]/-,4/12.0/-/-/true");
        }
    }

    @Test
    void shouldDeadLetterOnlyTheEventThatDoesNotFitAndWriteTheRest() throws Exception {
        try (TransactionalSink sink =
                sink(Map.of("schema", Map.of("id", "long", "ok", "boolean"), "time-partitions", "day"))) {
            sink.open();
            List<StreamRecord> batch = List.of(
                    event(P0, 0, "{\"id\":1,\"ok\":true}"),
                    event(P0, 1, "{\"id\":\"one\",\"ok\":true}"),
                    event(P0, 2, "{\"id\":3}"));
            assertThatThrownBy(() -> sink.write(batch))
                    .isInstanceOfSatisfying(SinkException.class, e -> {
                        assertThat(e.isUndeliverable()).isTrue();
                        assertThat(e.failed(batch)).containsExactly(batch.get(1));
                        assertThat(e.untried()).containsExactly(batch.get(2));
                    })
                    .hasMessage("field 'id' is \"one\", which does not fit the Parquet column type long (BIGINT)");
            sink.write(List.of(batch.get(2)));
            assertThat(refusal(sink, "{\"id\":4,\"ok\":\"yes\"}"))
                    .isEqualTo("field 'ok' is \"yes\", which does not fit the Parquet column type boolean (BOOLEAN)");
            assertThat(refusal(sink, "{\"id\":5,\"extra\":1}"))
                    .isEqualTo("field 'extra' is not in the sink's schema: add it to 'schema', or set"
                            + " 'extra-fields: drop'");
            assertThat(refusal(sink, "not json")).startsWith("the event is not a JSON object");
            assertThat(refusal(sink, "{\"id\":2.5}")).contains("field 'id' is 2.5");
            sink.prepare();
            sink.publish();
            assertThat(query("SELECT string_agg(id::VARCHAR, ',' ORDER BY id) FROM '" + dir + "/**/*.parquet'"))
                    .isEqualTo("1,3");
        }
    }

    @Test
    void shouldNameTheKeyAndTheFixForBadSettings() {
        assertThat(settingsError(Map.of("schema", Map.of("id", "int64"))))
                .contains("'sink lake.schema' field 'id' has type 'int64'; the types are string, long, int");
        assertThat(settingsError(Map.of("compression", "lzo")))
                .contains("'sink lake.compression' is 'lzo'; use one of");
        assertThat(settingsError(Map.of("schema", Map.of("id", "long"), "partition-by", List.of("country"))))
                .contains("field 'country' is not in 'schema'");
        assertThat(settingsError(Map.of("time-partitions", "minute"))).contains("use none, day");
        assertThat(settingsError(Map.of("roll-every", "0s"))).contains("'sink lake.roll-every' must be longer than 0");
        assertThat(settingsError(Map.of("time-field", "at"))).contains("set that too");
        assertThat(settingsError(Map.of("extra-fields", "drop"))).contains("applies to a given 'schema'");
        assertThat(settingsError(Map.of("schema", Map.of("date", "string"), "time-partitions", "day")))
                .contains("has a field 'date'");
    }

    @Test
    void shouldReadTimesBackAsTheyWereAndRefuseYearsDuckDbCannotRead() throws Exception {
        try (TransactionalSink sink = sink(Map.of("schema", Map.of("id", "long", "at", "timestamp", "doc", "json")))) {
            sink.open();
            sink.write(
                    List.of(event(P0, 0, "{\"id\":1,\"at\":\"2026-11-25T13:00:00Z\",\"doc\":{\"a\":[1,\"x\\\"y\"]}}")));
            assertThat(refusal(sink, "{\"id\":2,\"at\":1795611600000000}"))
                    .startsWith("field 'at' is 1795611600000000, a time in the year 58870");
            sink.prepare();
            sink.publish();
            assertThat(query("SELECT id || ' ' || strftime(timezone('UTC', \"at\"), '%Y-%m-%d %H:%M:%S') || ' '"
                            + " || (doc->>'$.a[1]') FROM '" + dir + "/*.parquet'"))
                    .isEqualTo("1 2026-11-25 13:00:00 x\"y");
        }
    }

    @Test
    void shouldDeadLetterEventTimesNoPartitionCanHaveAndGoOn() throws Exception {
        try (TransactionalSink sink = sink(Map.of("time-partitions", "day", "time-field", "at"))) {
            sink.open();
            assertThat(refusal(sink, "{\"id\":1,\"at\":\"9999999999999999999\"}"))
                    .startsWith("time-field 'at' is 9999999999999999999, which is not a time");
            assertThat(refusal(sink, "{\"id\":2,\"at\":\"+999999999-12-31T23:59:59-18:00\"}"))
                    .startsWith("time-field 'at' is a time beyond the dates a partition can have");
            assertThat(refusal(sink, "{\"id\":3}")).startsWith("time-field 'at': no timestamp");
            sink.write(List.of(event(P0, 4, "{\"id\":4,\"at\":\"2026-11-25T13:05:00Z\"}")));
            sink.prepare();
            sink.publish();
            assertThat(published()).singleElement().asString().startsWith("date=2026-11-25/");
        }
    }

    private String refusal(TransactionalSink sink, String json) {
        try {
            sink.write(List.of(event(P0, 99, json)));
        } catch (SinkException e) {
            return e.getMessage();
        }
        throw new AssertionError("the sink took " + json);
    }

    private String settingsError(Map<String, Object> settings) {
        try {
            sink(settings);
        } catch (PipelineException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + settings);
    }

    private TransactionalSink sink(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("path", dir.toString());
        ParquetSink connector = new ParquetSink();
        Config config = Config.check("sink lake", all, connector.keys(), null);
        return connector.createExactlyOnce(
                config, new ConnectorContext("p", "lake", "orders", dir, Clock.systemUTC(), 0, null));
    }

    private static StreamRecord event(TopicPartition p, long offset, String json) {
        return StreamRecord.of(new ConsumedEvent(
                p.topic(), p.partition(), offset, T13, null, json.getBytes(StandardCharsets.UTF_8), List.of()));
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private List<String> published() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> dir.relativize(f).toString())
                    .filter(f -> !f.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /** What is left aside: entries of the hidden directories, and any file in the open sink's buffers directory. */
    private List<String> hidden() throws IOException {
        List<String> out = new ArrayList<>();
        for (String sub : List.of(".in-progress", ".pending")) {
            try (Stream<Path> files = Files.walk(dir.resolve(sub))) {
                files.filter(f -> !f.equals(dir.resolve(sub)))
                        .filter(f -> !(Files.isDirectory(f)
                                && f.getFileName().toString().startsWith(".buffers-")))
                        .filter(f -> !f.getFileName().toString().startsWith(".fence-"))
                        .forEach(f -> out.add(sub + "/"
                                + dir.resolve(sub).relativize(f).toString().replaceFirst("^\\.buffers-[^/]*/", "")));
            }
        }
        return out;
    }
}
