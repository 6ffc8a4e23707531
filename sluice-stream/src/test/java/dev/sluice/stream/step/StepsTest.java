package dev.sluice.stream.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StepSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepsTest {
    @TempDir
    Path dir;

    static final Location AT = new Location("p.yaml", 7, 9);

    List<StreamRecord> run(String kind, Object arg, StreamRecord in) {
        Step step = Steps.create(new StepSpec(kind, arg, AT), new StepContext(dir, Clock.systemUTC()));
        List<StreamRecord> out = new ArrayList<>();
        step.apply(in, out::add);
        return out;
    }

    static StreamRecord raw(String value) {
        return new StreamRecord(null, value.getBytes(StandardCharsets.UTF_8), List.of(), 1_000, null);
    }

    static StreamRecord fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return StreamRecord.ofFields(m, 1_000);
    }

    @Test
    void shouldParseJsonAndCsv() {
        assertThat(run("parse", "json", raw("{\"a\":1,\"b\":{\"c\":\"x\"}}"))
                        .get(0)
                        .fields())
                .containsEntry("a", 1)
                .containsEntry("b", Map.of("c", "x"));
        assertThat(run("parse", Map.of("format", "csv", "columns", List.of("id", "name")), raw("7,\"Ana, B\""))
                        .get(0)
                        .fields())
                .isEqualTo(Map.of("id", "7", "name", "Ana, B"));
        assertThatThrownBy(() -> run("parse", "json", raw("{\"a\":")))
                .isInstanceOf(StepException.class)
                .hasMessageStartingWith("not valid JSON");
        assertThatThrownBy(() -> run("parse", "json", raw("[1,2]")))
                .isInstanceOf(StepException.class)
                .hasMessage("expected a JSON object, got an array");
        assertThatThrownBy(() -> run("parse", Map.of("format", "csv", "columns", List.of("a", "b", "c")), raw("1,2")))
                .hasMessage("CSV line has 2 cells but 3 columns are declared (a, b, c)");
        assertThatThrownBy(() -> run("parse", "xml", raw("<a/>")))
                .isInstanceOf(PipelineException.class)
                .hasMessage("p.yaml:7:9: unknown format 'xml' for parse: use json or csv.");
    }

    @Test
    void shouldFilterMapAndFailClearlyOnBadExpressions() {
        assertThat(run("filter", "event.agent != 'bot'", fields("agent", "bot")))
                .isEmpty();
        assertThat(run("filter", "event.agent != 'bot'", fields("agent", "human")))
                .hasSize(1);
        assertThat(run("filter", "event.missing == null", fields("agent", "x"))).hasSize(1);
        assertThat(run(
                                "map",
                                Map.of("total", "event.price * event.qty", "page", "fn:lower(event.page)"),
                                fields("price", 2.5, "qty", 4, "page", "/HOME"))
                        .get(0)
                        .fields())
                .containsEntry("total", 10.0)
                .containsEntry("page", "/home");
        assertThatThrownBy(() -> run("filter", "event.amount", fields("amount", 3)))
                .isInstanceOf(StepException.class)
                .hasMessage("expression 'event.amount' must give true or false, but gave 3 (Integer)");
        assertThatThrownBy(() -> run("filter", "event.a ==", fields()))
                .isInstanceOf(PipelineException.class)
                .hasMessageStartingWith("p.yaml:7:9: 'filter' has an invalid expression \"event.a ==\"");
        assertThatThrownBy(() -> run("filter", "while (true) {}", fields())).isInstanceOf(PipelineException.class);
        assertThatThrownBy(() -> run("map", Map.of("x", "new('java.io.File', '/')"), fields()))
                .isInstanceOf(PipelineException.class);
        assertThatThrownBy(() -> run("filter", "event.amount > 1", fields("x", 1)))
                .isInstanceOf(StepException.class)
                .hasMessageStartingWith("expression 'event.amount > 1' failed");
        assertThatThrownBy(() -> run("map", Map.of("x", "fn:lowr(event.page)"), fields("page", "A")))
                .isInstanceOf(StepException.class)
                .hasMessageContaining("lowr");
    }

    /**
     * Expressions JEXL evaluates itself (methods, functions, {@code =~}) read the fields of events parsed from JSON
     * too, not only of maps (they were refused: "undefined property").
     */
    @Test
    void shouldEvaluateEveryExpressionOnParsedEvents() {
        StreamRecord bot = run("parse", "json", raw("{\"agent\":\"Googlebot/2.1\",\"page\":\"/A\"}"))
                .get(0);
        assertThat(run("filter", "!event.agent.contains('bot')", bot)).isEmpty();
        assertThat(run("filter", "event.agent =~ '.*bot.*'", bot)).hasSize(1);
        assertThat(run("map", Map.of("page", "fn:lower(event.page)"), bot)
                        .get(0)
                        .fields())
                .containsEntry("page", "/a");
        StreamRecord human =
                run("parse", "json", raw("{\"agent\":\"Mozilla\"}")).get(0);
        assertThat(run("filter", "!event.agent.contains('bot')", human)).hasSize(1);
    }

    @Test
    void shouldKeepAndDropFieldsOfParsedEventsWithoutRewritingTheOthers() {
        StreamRecord click = run(
                        "parse", "json", raw("{\"ts\":1,\"user\":\"u\\u0031\",\"agent\":\"x\",\"page\":\"/\"}"))
                .get(0);
        StreamRecord kept =
                run("keep", List.of("ts", "user", "page", "country"), click).get(0);
        assertThat(new String(kept.valueBytes(), StandardCharsets.UTF_8))
                .as("the kept fields' bytes as they came")
                .isEqualTo("{\"ts\":1,\"user\":\"u\\u0031\",\"page\":\"/\"}");
        StreamRecord dropped = run("drop", List.of("user"), kept).get(0);
        assertThat(new String(dropped.valueBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"ts\":1,\"page\":\"/\"}");
        assertThatThrownBy(() -> run("keep", List.of("user.id"), click))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("'keep' takes top-level fields, got 'user.id'");
    }

    @Test
    void shouldSetRenameDropAndExplode() {
        StreamRecord r = fields("usr", "ana", "password", "x", "items", List.of(1, 2, 3));
        r = run("set", Map.of("source", "web", "meta.version", 2), r).get(0);
        r = run("rename", Map.of("usr", "user_id"), r).get(0);
        r = run("drop", List.of("password"), r).get(0);
        assertThat(r.fields())
                .containsEntry("source", "web")
                .containsEntry("user_id", "ana")
                .containsEntry("meta", Map.of("version", 2))
                .doesNotContainKey("password")
                .doesNotContainKey("usr");
        List<StreamRecord> exploded = run("explode", "items", r);
        assertThat(exploded).extracting(x -> x.fields().get("items")).containsExactly(1, 2, 3);
        exploded.get(0).fields().put("user_id", "changed");
        assertThat(exploded.get(1).fields()).containsEntry("user_id", "ana");
        assertThatThrownBy(() -> run("explode", "user_id", fields("user_id", "a")))
                .hasMessage("field 'user_id' is not an array, so it cannot be exploded");
    }

    @Test
    void shouldNormalizeTimestampsAndTypes() {
        Map<String, Object> arg = Map.of(
                "timestamps", List.of("a", "b", "c", "d"),
                "types", Map.of("amount", "double", "qty", "int", "ok", "boolean"),
                "lowercase", List.of("country"));
        StreamRecord r = run(
                        "normalize",
                        arg,
                        fields(
                                "a",
                                1_795_600_000_000L,
                                "b",
                                "2026-11-25T10:00:00+01:00",
                                "c",
                                "2026-11-25 09:00:00",
                                "d",
                                1_795_600_000,
                                "amount",
                                "12.50",
                                "qty",
                                "3",
                                "ok",
                                "yes",
                                "country",
                                "PT"))
                .get(0);
        assertThat(r.fields())
                .containsEntry("a", "2026-11-25T09:46:40Z")
                .containsEntry("b", "2026-11-25T09:00:00Z")
                .containsEntry("c", "2026-11-25T09:00:00Z")
                .containsEntry("d", "2026-11-25T09:46:40Z")
                .containsEntry("amount", 12.5)
                .containsEntry("qty", 3)
                .containsEntry("ok", true)
                .containsEntry("country", "pt");
        assertThatThrownBy(() -> run("normalize", Map.of("types", Map.of("qty", "int")), fields("qty", "three")))
                .hasMessage("field 'qty' is 'three', not a int");
        assertThatThrownBy(() -> run("normalize", Map.of("timestamps", List.of("ts")), fields("ts", "yesterday")))
                .hasMessageStartingWith("field 'ts': 'yesterday' is not a timestamp");
        assertThatThrownBy(() -> run("normalize", Map.of("types", Map.of("qty", "integer")), fields()))
                .hasMessageContaining("unknown type 'integer' for types.qty");
    }

    @Test
    void shouldEnrichFromACsvFileAndHandleMissingKeys() throws IOException {
        Files.write(dir.resolve("users.csv"), List.of("id,country,plan", "u1,PT,pro", "u2,DE,free"));
        Map<String, Object> arg =
                Map.of("file", "users.csv", "key", "user_id", "on", "id", "fields", List.of("country"));
        assertThat(run("enrich", arg, fields("user_id", "u1")).get(0).fields())
                .isEqualTo(Map.of("user_id", "u1", "country", "PT"));
        assertThat(run("enrich", arg, fields("user_id", "u9")).get(0).fields()).isEqualTo(Map.of("user_id", "u9"));
        Map<String, Object> failing = new LinkedHashMap<>(arg);
        failing.put("missing", "fail");
        assertThatThrownBy(() -> run("enrich", failing, fields("user_id", "u9")))
                .hasMessage("no row in the enrich table for user_id = u9");
        assertThatThrownBy(() -> run("enrich", Map.of("file", "nope.csv", "key", "user_id"), fields()))
                .hasMessageContaining("enrich file " + dir.resolve("nope.csv") + " does not exist");
    }

    @Test
    void shouldRouteDedupeAndSetKeys() {
        List<Map<String, Object>> rules =
                List.of(Map.of("when", "event.amount > 100", "to", "big"), Map.of("otherwise", "small"));
        assertThat(run("route", rules, fields("amount", 500)).get(0).destination())
                .isEqualTo("big");
        assertThat(run("route", rules, fields("amount", 5)).get(0).destination())
                .isEqualTo("small");

        Step dedupe = Steps.create(
                new StepSpec("dedupe", Map.of("key", "event.id", "within", "1m"), AT),
                new StepContext(dir, Clock.systemUTC()));
        List<StreamRecord> out = new ArrayList<>();
        dedupe.apply(StreamRecord.ofFields(Map.of("id", 1), 0), out::add);
        dedupe.apply(StreamRecord.ofFields(Map.of("id", 1), 30_000), out::add);
        dedupe.apply(StreamRecord.ofFields(Map.of("id", 2), 30_000), out::add);
        dedupe.apply(StreamRecord.ofFields(Map.of("id", 1), 61_000), out::add);
        assertThat(out).extracting(r -> r.fields().get("id")).containsExactly(1, 2, 1);

        assertThat(run("key", "event.user", fields("user", "ana")).get(0).keyAsString())
                .isEqualTo("ana");
    }

    @Test
    void shouldValidateAgainstAJsonSchema() {
        Map<String, Object> schema = Map.of(
                "schema",
                Map.of(
                        "type",
                        "object",
                        "required",
                        List.of("id"),
                        "properties",
                        Map.of("amount", Map.of("type", "number"))));
        assertThat(run("validate", schema, fields("id", 1, "amount", 3))).hasSize(1);
        assertThatThrownBy(() -> run("validate", schema, fields("amount", "x")))
                .isInstanceOf(StepException.class)
                .hasMessageContaining("schema violation")
                .hasMessageContaining("id")
                .hasMessageContaining("amount");
    }

    @Test
    void shouldSuggestTheClosestStepForAnUnknownOne() {
        assertThatThrownBy(() -> run("fliter", "true", fields()))
                .hasMessageStartingWith(
                        "p.yaml:7:9: unknown step 'fliter'. Did you mean 'filter'? Steps: parse, validate,");
    }
}
