package dev.sluice.bench.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.tuple.Tuple5;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The functions of the Flink jobs of compare-pipelines. Each line is parsed into a Jackson tree (every field), as a
 * Flink job reading JSON lines without a schema would; results are written as JSON text. Stateless and thread-safe
 * (Jackson's {@code ObjectMapper} is, once configured).
 */
final class FlinkClicks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FlinkClicks() {}

    /** A line as (event_id, ts, user_id, page, agent). */
    static final class ParseW1 implements MapFunction<String, Tuple5<Long, String, String, String, String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple5<Long, String, String, String, String> map(String line) throws Exception {
            JsonNode click = JSON.readTree(line);
            return Tuple5.of(
                    click.get("event_id").asLong(),
                    click.get("ts").asText(),
                    click.get("user_id").asText(),
                    click.get("page").asText(),
                    click.get("agent").asText());
        }
    }

    static final class NotBot implements FilterFunction<Tuple5<Long, String, String, String, String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(Tuple5<Long, String, String, String, String> click) {
            return !click.f4.contains("bot");
        }
    }

    /** The four kept fields as a JSON line. */
    static final class KeepFour implements MapFunction<Tuple5<Long, String, String, String, String>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String map(Tuple5<Long, String, String, String, String> click) throws Exception {
            ObjectNode out = JSON.createObjectNode();
            out.put("event_id", click.f0)
                    .put("ts", click.f1)
                    .put("user_id", click.f2)
                    .put("page", click.f3);
            return JSON.writeValueAsString(out);
        }
    }

    /** A line as (page, user_id, event time in epoch ms). */
    static final class ParseW2 implements MapFunction<String, Tuple3<String, String, Long>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple3<String, String, Long> map(String line) throws Exception {
            JsonNode click = JSON.readTree(line);
            return Tuple3.of(
                    click.get("page").asText(),
                    click.get("user_id").asText(),
                    Instant.parse(click.get("ts").asText()).toEpochMilli());
        }
    }

    /** The page of a parsed click (W2). */
    static final class ByPage implements KeySelector<Tuple3<String, String, Long>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Tuple3<String, String, Long> click) {
            return click.f0;
        }
    }

    /** The user of a parsed click (W2). */
    static final class ByUser implements KeySelector<Tuple3<String, String, Long>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Tuple3<String, String, Long> click) {
            return click.f1;
        }
    }

    /** A window's count as the JSON line Sluice's window step writes: the key field, the window, {@code clicks}. */
    static final class ResultLine extends ProcessWindowFunction<Long, String, String, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final String keyField;

        ResultLine(String keyField) {
            this.keyField = keyField;
        }

        @Override
        public void process(String key, Context context, Iterable<Long> counts, Collector<String> out)
                throws Exception {
            ObjectNode result = JSON.createObjectNode();
            result.put(keyField, key)
                    .put(
                            "window_start",
                            Instant.ofEpochMilli(context.window().getStart()).toString())
                    .put(
                            "window_end",
                            Instant.ofEpochMilli(context.window().getEnd()).toString())
                    .put("clicks", counts.iterator().next());
            out.collect(JSON.writeValueAsString(result));
        }
    }
}
