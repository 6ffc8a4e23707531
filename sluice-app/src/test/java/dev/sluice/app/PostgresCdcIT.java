package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.broker.Event;
import dev.sluice.connect.cdc.PostgresCdcSource;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.testkit.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code postgres-cdc} source against a real PostgreSQL with {@code wal_level=logical} (a private server started
 * from the installed binaries): the snapshot hands over to streaming with no gap and no duplicate, row images and keys,
 * a column added mid-stream, a table without a primary key, resuming from a stored position, and bad settings.
 */
@SuppressWarnings("unchecked")
class PostgresCdcIT {
    private static LocalPostgres postgres;
    private static int sources;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.startLogical();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void shouldHandOverFromSnapshotToStreamingWithNoGapAndNoDuplicate() throws Exception {
        sql("CREATE TABLE orders (id int PRIMARY KEY, item text, qty int, price numeric(10,2), paid boolean,"
                + " meta jsonb, at timestamptz)");
        sql("INSERT INTO orders SELECT i, 'item-' || i, i % 7, i * 1.25, i % 2 = 0, '{\"n\": 1}', now()"
                + " FROM generate_series(1, 5000) i");
        try (Source source = source(Map.of("tables", List.of("orders")))) {
            source.open(null); // the slot is made here; the snapshot is of this moment
            // committed after the slot: these come from the stream, never from the snapshot
            sql(
                    "INSERT INTO orders SELECT i, 'item-' || i, 1, 2.50, false, null, now() FROM generate_series(5001, 6000) i");
            sql("UPDATE orders SET qty = 100 WHERE id <= 10");
            sql("DELETE FROM orders WHERE id BETWEEN 11 AND 15");
            List<Map<String, Object>> changes = read(source, c -> c.size() >= 6015);
            Map<String, Integer> byOpAndId = new HashMap<>();
            for (Map<String, Object> c : changes) {
                Map<String, Object> row = image(c);
                byOpAndId.merge(c.get("op") + ":" + row.get("id"), 1, Integer::sum);
            }
            assertThat(changes).hasSize(6015);
            assertThat(byOpAndId).hasSize(6015); // each once
            for (int id = 1; id <= 5000; id++) {
                assertThat(byOpAndId).containsKey("r:" + id);
            }
            for (int id = 5001; id <= 6000; id++) {
                assertThat(byOpAndId).containsKey("c:" + id);
            }
            assertThat(byOpAndId).containsKeys("u:1", "u:10", "d:11", "d:15");
            // every snapshot row comes before every streamed change
            int lastRead = 0;
            int firstStreamed = Integer.MAX_VALUE;
            for (int i = 0; i < changes.size(); i++) {
                if (changes.get(i).get("op").equals("r")) {
                    lastRead = i;
                } else {
                    firstStreamed = Math.min(firstStreamed, i);
                }
            }
            assertThat(lastRead).isLessThan(firstStreamed);

            Map<String, Object> snapshotRow = find(changes, "r", 2);
            assertThat((Map<String, Object>) snapshotRow.get("after"))
                    .containsEntry("item", "item-2")
                    .containsEntry("qty", 2)
                    .containsEntry("price", 2.5)
                    .containsEntry("paid", true)
                    .containsEntry("meta", Map.of("n", 1));
            assertThat((Map<String, Object>) snapshotRow.get("source")).containsEntry("snapshot", true);
            Map<String, Object> update = find(changes, "u", 3);
            assertThat(update.get("before")).isNull(); // replica identity default: no old row unless the key changed
            assertThat((Map<String, Object>) update.get("after")).containsEntry("qty", 100);
            Map<String, Object> origin = (Map<String, Object>) update.get("source");
            assertThat(origin).containsEntry("table", "orders").containsEntry("schema", "public");
            assertThat(((Number) origin.get("lsn")).longValue()).isPositive();
            assertThat(origin.get("txId")).isNotNull();
            Map<String, Object> delete = find(changes, "d", 12);
            assertThat((Map<String, Object>) delete.get("before")).isEqualTo(Map.of("id", 12));
        }
    }

    @Test
    void shouldGiveKeysAndWholeOldRowsByReplicaIdentity() throws Exception {
        sql("CREATE TABLE lines (order_id int, line int, sku text, PRIMARY KEY (order_id, line))");
        sql("ALTER TABLE lines REPLICA IDENTITY FULL");
        try (Source source = source(Map.of("tables", List.of("public.lines"), "snapshot", "never"))) {
            source.open(null);
            sql("INSERT INTO lines VALUES (1, 1, 'a')");
            sql("UPDATE lines SET sku = 'b' WHERE order_id = 1");
            sql("UPDATE lines SET line = 2 WHERE order_id = 1"); // the key changes: a delete and an insert
            List<Event> events = readEvents(source, e -> e.size() >= 4);
            assertThat(events).hasSize(4);
            assertThat(new String(events.get(0).key(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"order_id\":1,\"line\":1}");
            Map<String, Object> update = Json.parseObject(events.get(1).value());
            assertThat(update.get("op")).isEqualTo("u");
            assertThat((Map<String, Object>) update.get("before")).containsEntry("sku", "a");
            assertThat((Map<String, Object>) update.get("after")).containsEntry("sku", "b");
            assertThat(Json.parseObject(events.get(2).value()).get("op")).isEqualTo("d");
            assertThat(new String(events.get(2).key(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"order_id\":1,\"line\":1}");
            assertThat(Json.parseObject(events.get(3).value()).get("op")).isEqualTo("c");
            assertThat(new String(events.get(3).key(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"order_id\":1,\"line\":2}");
            assertThat(events.get(3).headers())
                    .anySatisfy(h -> assertThat(h.key()).isEqualTo("cdc.table"));
        }
    }

    @Test
    void shouldCarryAColumnAddedMidStreamAndKeepGoing() throws Exception {
        sql("CREATE TABLE customers (id int PRIMARY KEY, name text)");
        try (Source source = source(Map.of("tables", List.of("customers"), "snapshot", "never"))) {
            source.open(null);
            sql("INSERT INTO customers VALUES (1, 'ada')");
            sql("ALTER TABLE customers ADD COLUMN email text");
            sql("INSERT INTO customers VALUES (2, 'bob', 'bob@example.com')");
            sql("UPDATE customers SET email = 'ada@example.com' WHERE id = 1");
            List<Map<String, Object>> changes = read(source, c -> c.size() >= 3);
            assertThat((Map<String, Object>) changes.get(0).get("after")).isEqualTo(Map.of("id", 1, "name", "ada"));
            assertThat((Map<String, Object>) changes.get(1).get("after")).containsEntry("email", "bob@example.com");
            assertThat((Map<String, Object>) changes.get(2).get("after")).containsEntry("email", "ada@example.com");
        }
    }

    @Test
    void shouldPublishATableWithoutPrimaryKeyUnkeyed() throws Exception {
        sql("CREATE TABLE readings (device text, value float8)");
        sql("INSERT INTO readings VALUES ('d0', 0.5)");
        sql("CREATE TABLE devices (id text PRIMARY KEY)");
        try (Source source = source(Map.of("tables", List.of("readings", "devices")))) {
            source.open(null);
            sql("INSERT INTO readings VALUES ('d1', 1.5)");
            sql("INSERT INTO devices VALUES ('d1')");
            List<Event> events = readEvents(source, e -> e.size() >= 3);
            assertThat(events).hasSize(3);
            assertThat(events.get(0).key()).isNull();
            assertThat(events.get(1).key()).isNull();
            assertThat(Json.parseObject(events.get(1).value()).get("after"))
                    .isEqualTo(Map.of("device", "d1", "value", 1.5));
            assertThat(new String(events.get(2).key(), StandardCharsets.UTF_8)).isEqualTo("d1");
        }
        // PostgreSQL itself refuses to update it while it is published, as the source's warning says
        assertThatThrownBy(() -> sql("UPDATE readings SET value = 2")).hasMessageContaining("replica identity");
    }

    @Test
    void shouldResumeAfterTheStoredPositionAndAgainFromAnUnconfirmedOne() throws Exception {
        sql("CREATE TABLE payments (id int PRIMARY KEY)");
        Map<String, Object> settings =
                Map.of("tables", List.of("payments"), "slot", "payments_slot", "publication", "payments_pub");
        Map<String, Object> afterFirst;
        try (Source source = source(settings)) {
            source.open(null);
            sql("INSERT INTO payments VALUES (1)");
            sql("INSERT INTO payments VALUES (2)");
            Source.Batch batch = pollUntil(source, 2);
            afterFirst = batch.position();
            source.stored(afterFirst);
        }
        sql("INSERT INTO payments VALUES (3)");
        Map<String, Object> afterSecond;
        try (Source source = source(settings)) {
            source.open(afterFirst);
            Source.Batch batch = pollUntil(source, 1);
            assertThat(ids(batch.events())).containsExactly(3);
            afterSecond = batch.position();
            // not told it was stored: PostgreSQL keeps it for the next run
        }
        assertThat(confirmed("payments_slot"))
                .as("the slot confirms only what was stored")
                .isEqualTo(afterFirst.get("lsn"));
        try (Source source = source(settings)) {
            source.open(afterFirst); // a crash before the second position was stored
            assertThat(ids(pollUntil(source, 1).events())).containsExactly(3);
        }
        try (Source source = source(settings)) {
            source.open(afterSecond);
            sql("INSERT INTO payments VALUES (4)");
            assertThat(ids(pollUntil(source, 1).events())).containsExactly(4);
        }
    }

    @Test
    void shouldLetTheSlotMoveOnWhileTheCapturedTablesAreQuietAndOthersAreNot() throws Exception {
        sql("CREATE TABLE quiet (id int PRIMARY KEY)");
        sql("CREATE TABLE busy (id int PRIMARY KEY, pad text)");
        Map<String, Object> settings =
                Map.of("tables", List.of("quiet"), "slot", "quiet_slot", "publication", "quiet_pub");
        try (Source source = source(settings)) {
            source.open(null);
            sql("INSERT INTO quiet VALUES (1)");
            Source.Batch first = pollUntil(source, 1);
            source.stored(first.position());
            sql("INSERT INTO busy SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g"); // not captured
            String walAfterBusy = query("SELECT pg_current_wal_lsn()::text");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (lsn(confirmed("quiet_slot")) < lsn(walAfterBusy) && System.nanoTime() < deadline) {
                Source.Batch batch = source.poll(java.time.Duration.ofMillis(200)); // as the runtime polls
                assertThat(batch.events()).isEmpty();
                source.stored(batch.position()); // and stores each position
            }
            assertThat(lsn(confirmed("quiet_slot")))
                    .as(
                            "the slot holds no WAL for what it does not capture (WAL after the busy table's insert: %s)",
                            walAfterBusy)
                    .isGreaterThanOrEqualTo(lsn(walAfterBusy));
        }
    }

    private static long lsn(String text) {
        return org.postgresql.replication.LogSequenceNumber.valueOf(text).asLong();
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl());
                Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void shouldDoAnUnfinishedSnapshotAgainAfterATruncateEvent() throws Exception {
        sql("CREATE TABLE items (id int PRIMARY KEY)");
        sql("INSERT INTO items SELECT i FROM generate_series(1, 5000) i");
        Map<String, Object> settings =
                Map.of("tables", List.of("items"), "slot", "items_slot", "publication", "items_pub");
        Map<String, Object> running;
        try (Source source = source(settings)) {
            source.open(null);
            Source.Batch first = source.poll(Duration.ofMillis(200));
            assertThat(first.events()).hasSize(2_000); // the rest is never read: the process dies here
            running = first.position();
        }
        sql("DELETE FROM items WHERE id = 1"); // a row the first attempt published
        try (Source source = source(settings)) {
            source.open(running);
            List<Map<String, Object>> changes = read(source, c -> c.size() >= 5_000);
            assertThat(changes).hasSize(5_000);
            assertThat(changes.get(0)).containsEntry("op", "t"); // forget what the first attempt said
            assertThat(((Map<String, Object>) changes.get(0).get("source")).get("snapshot"))
                    .isEqualTo(true);
            assertThat(changes.subList(1, changes.size()))
                    .allSatisfy(c -> assertThat(c.get("op")).isEqualTo("r"));
            assertThat(ids(changes.subList(1, changes.size())))
                    .doesNotContain(1)
                    .contains(2, 5_000);
        }
    }

    @Test
    void shouldReconnectWhenTheServerDropsItsConnectionsInTheMiddleOfATransaction() throws Exception {
        sql("CREATE TABLE big (id int PRIMARY KEY, note text)");
        try (Source source = source(Map.of("tables", List.of("big"), "snapshot", "never", "slot", "big_slot"))) {
            source.open(null);
            sql("INSERT INTO big SELECT i, 'n' FROM generate_series(1, 5000) i"); // one transaction, 3 batches
            List<Event> events =
                    new ArrayList<>(source.poll(Duration.ofSeconds(5)).events());
            assertThat(events).hasSize(2_000); // the transaction is not whole yet
            // the server ends every connection of the source (a restart, a failover, a firewall)
            sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sluice-cdc big_slot'");
            sql("ALTER TABLE big ADD COLUMN extra int"); // needs the catalog again after the reconnect
            sql("INSERT INTO big VALUES (5001, 'after', 1)");
            events.addAll(readEvents(source, e -> ids(e).contains(5001)));
            List<Integer> ids = ids(events);
            assertThat(new java.util.HashSet<>(ids)).hasSize(5_001); // nothing lost
            // the half-read transaction comes again whole: only what was handed on before the break is there twice
            assertThat(ids).hasSizeLessThanOrEqualTo(5_001 + 2_000);
        }
    }

    @Test
    void shouldStartOverWithASnapshotUnderANewSlotNameAndCaptureOnlyTheTablesNamed() throws Exception {
        sql("CREATE TABLE kept (id int PRIMARY KEY)");
        sql("CREATE TABLE other (id int PRIMARY KEY)");
        sql("CREATE PUBLICATION both_pub FOR TABLE kept, other");
        sql("INSERT INTO kept VALUES (1)");
        Map<String, Object> position;
        try (Source source = source(Map.of("tables", List.of("kept"), "publication", "both_pub", "slot", "first"))) {
            source.open(null);
            sql("INSERT INTO other VALUES (1)"); // published, not captured
            sql("INSERT INTO kept VALUES (2)");
            Source.Batch batch = pollUntil(source, 2);
            assertThat(ids(batch.events())).containsExactly(1, 2);
            position = batch.position();
        }
        try (Source source = source(Map.of("tables", List.of("kept"), "publication", "both_pub", "slot", "second"))) {
            source.open(position); // a position of slot first: not this slot's
            List<Map<String, Object>> changes = read(source, c -> c.size() >= 2);
            assertThat(changes).extracting(c -> c.get("op")).containsExactly("r", "r");
        }
    }

    @Test
    void shouldNameAMissingTableAndBadSettings() throws Exception {
        try (Source source = source(Map.of("tables", List.of("public.nope")))) {
            assertThatThrownBy(() -> source.open(null))
                    .hasMessageContaining("table public.nope does not exist in database postgres");
        }
        assertThatThrownBy(() -> source(Map.of("slot", "Bad-Slot")))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("slot")
                .hasMessageContaining("Bad-Slot");
        assertThatThrownBy(() -> source(Map.of("snapshot", "sometimes")))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("initial or never");
        assertThatThrownBy(() -> source(Map.of("url", "jdbc:mysql://127.0.0.1/x")))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("PostgreSQL JDBC URL");
        try (Source source = source(Map.of("tables", List.of("orders2"), "create", false))) {
            sql("CREATE TABLE orders2 (id int PRIMARY KEY)");
            assertThatThrownBy(() -> source.open(null))
                    .hasMessageContaining("publication")
                    .hasMessageContaining("does not exist")
                    .hasMessageContaining("create: true");
        }
    }

    @Test
    void shouldSayWhenTheServerIsNotSetUpForLogicalReplication() throws Exception {
        String shared = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"; // the machine's, wal_level=replica
        String level;
        try (Connection c = DriverManager.getConnection(shared);
                Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SHOW wal_level")) {
            r.next();
            level = r.getString(1);
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(level.equals("logical"), "the shared server is logical");
        try (Source source = source(Map.of("url", shared))) {
            assertThatThrownBy(() -> source.open(null))
                    .hasMessageContaining("wal_level = " + level)
                    .hasMessageContaining("ALTER SYSTEM SET wal_level = logical");
        }
    }

    private static List<Integer> ids(Iterable<Map<String, Object>> changes) {
        List<Integer> ids = new ArrayList<>();
        for (Map<String, Object> c : changes) {
            ids.add(((Number) image(c).get("id")).intValue());
        }
        return ids;
    }

    private static List<Integer> ids(List<Event> events) {
        List<Integer> ids = new ArrayList<>();
        for (Event e : events) {
            ids.add(((Number) image(Json.parseObject(e.value())).get("id")).intValue());
        }
        return ids;
    }

    private static Source.Batch pollUntil(Source source, int events) throws Exception {
        List<Event> all = new ArrayList<>();
        Map<String, Object> position = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (all.size() < events && System.nanoTime() < deadline) {
            Source.Batch b = source.poll(Duration.ofMillis(200));
            all.addAll(b.events());
            position = b.position();
        }
        // nothing more than expected arrives
        Source.Batch more = source.poll(Duration.ofMillis(500));
        all.addAll(more.events());
        return new Source.Batch(all, more.events().isEmpty() ? position : more.position());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> image(Map<String, Object> change) {
        Object after = change.get("after");
        return (Map<String, Object>) (after != null ? after : change.get("before"));
    }

    private static Map<String, Object> find(List<Map<String, Object>> changes, String op, int id) {
        return changes.stream()
                .filter(c -> c.get("op").equals(op) && ((Number) image(c).get("id")).intValue() == id)
                .findFirst()
                .orElseThrow();
    }

    private static List<Map<String, Object>> read(Source source, Predicate<List<Map<String, Object>>> enough)
            throws Exception {
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Event e : readEvents(source, events -> enough.test(parse(events)))) {
            changes.add(Json.parseObject(e.value()));
        }
        return changes;
    }

    private static List<Map<String, Object>> parse(List<Event> events) {
        return events.stream().map(e -> Json.parseObject(e.value())).toList();
    }

    private static List<Event> readEvents(Source source, Predicate<List<Event>> enough) throws Exception {
        List<Event> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!enough.test(events) && System.nanoTime() < deadline) {
            Source.Batch b = source.poll(Duration.ofMillis(200));
            events.addAll(b.events());
        }
        for (int i = 0; i < 3; i++) { // and nothing more
            events.addAll(source.poll(Duration.ofMillis(200)).events());
        }
        return events;
    }

    private static Source source(Map<String, Object> settings) {
        PostgresCdcSource connector = new PostgresCdcSource();
        Map<String, Object> all = new HashMap<>(Map.of("url", postgres.jdbcUrl()));
        all.putAll(settings);
        Config config = Config.check("source cdc", all, connector.keys(), null);
        int n = ++sources;
        return connector.create(
                config, new ConnectorContext("shop", "cdc" + n, "changes", Path.of("."), Clock.systemUTC(), 0, null));
    }

    private static String confirmed(String slot) throws SQLException {
        return query("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl());
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
