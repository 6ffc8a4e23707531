package dev.sluice.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.PipelineValidator;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.PipelineSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook sink against a real HTTP server on 127.0.0.1 that fails on purpose: 503s, 429s with Retry-After, answers
 * slower than the timeout, refusals; it checks every request's signature and headers.
 */
class WebhookSinkIT {
    private static final String SECRET = "s3cret";

    @TempDir
    Path dir;

    private HttpServer server;
    /** What the server answers to the n-th request (from 0), given its body. */
    private volatile Answerer answerer;

    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger count = new AtomicInteger();

    private record Request(long at, String contentType, String signature, String tenant, byte[] body, int status) {}

    private interface Answerer {
        /** The status to answer with; a negative one answers 200 after that many milliseconds. */
        int answer(int n, byte[] body);
    }

    private String start(Answerer answerer) throws IOException {
        this.answerer = answerer;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.createContext("/hook", this::handle);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private void handle(HttpExchange x) throws IOException {
        byte[] body = x.getRequestBody().readAllBytes();
        int n = count.getAndIncrement();
        int status = answerer.answer(n, body);
        String signature = x.getRequestHeaders().getFirst("X-Sluice-Signature");
        if (signature == null || !signature.equals("sha256=" + hmac(body))) {
            status = 401;
        }
        if (status < 0) {
            sleep(-status);
            status = 200;
        }
        requests.add(new Request(
                System.currentTimeMillis(),
                x.getRequestHeaders().getFirst("Content-Type"),
                signature,
                x.getRequestHeaders().getFirst("X-Tenant"),
                body,
                status));
        if (status == 429) {
            x.getResponseHeaders().add("Retry-After", "1");
        }
        byte[] answer =
                (status == 400 ? "{\"error\": \"order 13 is not for us\"}" : "").getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        x.getResponseBody().write(answer);
        x.close();
    }

    /** HMAC-SHA256 of the body with the secret, in hex, as a receiver computes it. */
    private static String hmac(byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldDeliverEveryEventThroughFailuresInCloudEventsBatches() throws Exception {
        String url = start((n, body) -> {
            if (n % 3 == 1) {
                return 503;
            }
            if (n % 7 == 2) {
                return 429;
            }
            return n % 11 == 5 ? -1_500 : 200; // slower than the timeout
        });
        PipelineSpec spec = pipeline(
                1_000,
                0,
                settings(url, Map.of("batch", 50, "format", "cloudevents", "attempts", 10, "timeout", "500ms")));
        run(spec);

        List<Request> ok = requests.stream().filter(r -> r.status() == 200).toList();
        assertThat(requests.stream().map(Request::status).distinct())
                .as("the server failed on purpose")
                .contains(503, 429);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.contentType()).isEqualTo("application/cloudevents-batch+json");
            assertThat(r.tenant()).isEqualTo("acme");
            assertThat(r.status()).as("a valid signature").isNotEqualTo(401);
        });
        Set<Long> ids = new TreeSet<>();
        for (Request r : ok) {
            for (Object e : (List<?>) Json.parseValue(r.body())) {
                Map<?, ?> ce = (Map<?, ?>) e;
                assertThat(ce.keySet().stream().map(Object::toString).toList())
                        .contains("specversion", "id", "source", "type", "time", "subject", "data");
                assertThat(ce.get("specversion")).isEqualTo("1.0");
                assertThat(ce.get("source")).isEqualTo("/sluice/hooks/hook");
                assertThat((String) ce.get("id")).startsWith("orders-0-");
                ids.add(((Number) ((Map<?, ?>) ce.get("data")).get("id")).longValue());
            }
        }
        assertThat(ids).as("every event delivered at least once").hasSize(1_000);
        assertThat(deadLetters()).isEmpty();
        // the request after a 429 came when Retry-After (1 s) said, not after the 10 ms backoff
        for (int i = 0; i + 1 < requests.size(); i++) {
            if (requests.get(i).status() == 429) {
                assertThat(requests.get(i + 1).at() - requests.get(i).at()).isGreaterThanOrEqualTo(900);
            }
        }
    }

    @Test
    void shouldDeadLetterEventsAfterTheAttemptsRunOutAndGoOn() throws Exception {
        String url = start((n, body) -> ids(body).contains(3L) ? 503 : 200);
        run(pipeline(6, 0, settings(url, Map.of("attempts", 3))));

        List<ConsumedEvent> dead = deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), "sluice.dlq.message"))
                .contains("failed 3 times for the event; last: HTTP 503")
                .contains(url);
        assertThat(Json.parseObject(dead.get(0).value()).get("id")).isEqualTo(3);
        assertThat(requests.stream().filter(r -> r.status() == 503)).hasSize(3);
        assertThat(requests.stream().filter(r -> r.status() == 200)).hasSize(5);
    }

    @Test
    void shouldDeadLetterWhatTheEndpointRefusesAndWhatIsNotJson() throws Exception {
        String url = start((n, body) -> ids(body).contains(13L) ? 400 : 200);
        run(pipeline(100, 0.05, settings(url, Map.of("batch", 10))));

        // halves of broken JSON can be equal: a list, not a map by value
        List<String> reasons = new ArrayList<>();
        List<String> deadValues = new ArrayList<>();
        for (ConsumedEvent e : deadLetters()) {
            reasons.add(header(e, "sluice.dlq.message"));
            deadValues.add(e.valueAsString());
        }
        assertThat(reasons)
                .filteredOn(m -> m.contains("refused"))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("HTTP 400: {\"error\": \"order 13 is not for us\"}"));
        assertThat(reasons)
                .filteredOn(m -> m.contains("not JSON"))
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m).contains("format: cloudevents"));
        Set<Long> delivered = new TreeSet<>();
        for (Request r : requests) {
            assertThat(r.contentType()).isEqualTo("application/json");
            if (r.status() == 200) {
                for (Object e : (List<?>) Json.parseValue(r.body())) {
                    delivered.add(((Number) ((Map<?, ?>) e).get("id")).longValue());
                }
            }
        }
        assertThat(delivered.size() + reasons.size())
                .as(() -> "each event delivered or dead-lettered; delivered " + delivered + ", dead " + deadValues
                        + ", requests "
                        + requests.stream()
                                .map(r -> r.status() + " " + ids(r.body()))
                                .toList())
                .isEqualTo(100);
        assertThat(delivered).doesNotContain(13L);
    }

    @Test
    void shouldExplainBadSettings() throws Exception {
        assertThatThrownBy(() -> validate(Map.of("url", "ftp://example.com/x")))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining(
                        "'sink hook.url' must be an http:// or https:// URL with a host, got 'ftp://example.com/x'");
        assertThatThrownBy(() -> validate(Map.of("url", "http://127.0.0.1/x", "format", "xml")))
                .hasMessageContaining("'sink hook.format' must be json or cloudevents, got 'xml'");
        assertThatThrownBy(() -> validate(Map.of("url", "http://127.0.0.1/x", "headers", Map.of("Content-Type", "a"))))
                .hasMessageContaining("sets Content-Type, which the sink sets itself");
        assertThatThrownBy(
                        () -> validate(Map.of("url", "http://127.0.0.1/x", "headers", Map.of("Connection", "close"))))
                .hasMessageContaining("sets Connection");
        assertThatThrownBy(() -> validate(Map.of("url", "http://127.0.0.1/x", "secret", "${env:SLUICE_NO_SUCH_VAR}")))
                .hasMessageContaining("refers to environment variable SLUICE_NO_SUCH_VAR, which is not set");
        assertThatThrownBy(() -> validate(Map.of("url", "http://127.0.0.1/x", "timeout", "0s")))
                .hasMessageContaining("'sink hook.timeout' must be longer than 0, got '0s'");
        assertThatThrownBy(() -> validate(Map.of("url", "http://127.0.0.1/x", "atempts", 3)))
                .hasMessageContaining("attempts");
    }

    private void validate(Map<String, Object> settings) {
        PipelineSpec spec = Pipeline.named("hooks")
                .topic("orders", 1)
                .sink("hook", "webhook", settings, s -> s.from("orders"))
                .build();
        RuntimeOptions options = RuntimeOptions.defaults(dir);
        new PipelineValidator(options.connectors(), dir, options.clock()).validate(spec);
    }

    private static Map<String, Object> settings(String url, Map<String, Object> more) {
        Map<String, Object> s = new LinkedHashMap<>(more);
        s.put("url", url);
        s.put("secret", SECRET);
        s.put("headers", Map.of("X-Tenant", "acme"));
        s.put("retry-backoff", "10ms");
        s.put("max-backoff", "2s");
        return s;
    }

    private static PipelineSpec pipeline(int events, double malformed, Map<String, Object> sink) {
        Map<String, Object> generator = new LinkedHashMap<>();
        generator.put("count", events);
        generator.put("key", "customer");
        generator.put("fields", Map.of("id", "sequence", "customer", Map.of("int", List.of(1, 50))));
        if (malformed > 0) {
            generator.put("malformed", malformed);
        }
        return Pipeline.named("hooks")
                .topic("orders", 1)
                .source("gen", "generator", "orders", generator)
                .sink("hook", "webhook", sink, s -> s.from("orders"))
                .build();
    }

    private EmbeddedBroker broker;

    private void run(PipelineSpec spec) throws Exception {
        broker = EmbeddedBroker.open(dir.resolve("data"));
        try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
            assertThat(run.awaitIdle(Duration.ofSeconds(120))).isTrue();
            assertThat(run.failure()).isNull();
        }
    }

    private List<ConsumedEvent> deadLetters() {
        List<ConsumedEvent> out = new ArrayList<>();
        try (Consumer c = broker.consumer(ConsumerConfig.defaults())) {
            c.assign(List.of(new TopicPartition("hooks.hook.dlq", 0)));
            for (List<ConsumedEvent> batch = c.poll(Duration.ofMillis(500));
                    !batch.isEmpty();
                    batch = c.poll(Duration.ofMillis(200))) {
                out.addAll(batch);
            }
        } finally {
            broker.close();
        }
        return out;
    }

    /** The ids of the orders in a request: one JSON object, or an array of them. */
    private static List<Long> ids(byte[] body) {
        Object parsed = Json.parseValue(body);
        List<Long> out = new ArrayList<>();
        for (Object o : parsed instanceof List<?> l ? l : List.of(parsed)) {
            out.add(((Number) ((Map<?, ?>) o).get("id")).longValue());
        }
        return out;
    }

    private static String header(ConsumedEvent e, String name) {
        return e.headers().stream()
                .filter(h -> h.key().equals(name))
                .map(h -> h.valueAsString())
                .findFirst()
                .orElse(null);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
