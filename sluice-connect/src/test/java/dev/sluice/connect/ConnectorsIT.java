package dev.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.PipelineSpec;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file and HTTP sources against real files and a real HTTP client. */
class ConnectorsIT {
    @TempDir
    Path dir;

    @Test
    void shouldReadCsvAndJsonFilesFollowAppendsAndResumeAfterARestart() throws Exception {
        Files.write(dir.resolve("in.csv"), List.of("id,name", "1,ana", "2,\"bo, b\""));
        PipelineSpec spec = Pipeline.named("files")
                .topic("rows", 1)
                .source("csv", "file", "rows", Map.of("path", "in.csv", "format", "csv", "follow", true, "key", "id"))
                .sink("out", "file", Map.of("path", "out"), s -> s.from("rows"))
                .build();
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"))) {
            try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> lines("out") == 2);
                Files.writeString(dir.resolve("in.csv"), "3,carla\n", java.nio.file.StandardOpenOption.APPEND);
                await().atMost(Duration.ofSeconds(10)).until(() -> lines("out") == 3);
            }
            Files.writeString(dir.resolve("in.csv"), "4,dan\n", java.nio.file.StandardOpenOption.APPEND);
            try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> lines("out") == 4);
            }
        }
        assertThat(EndToEndIT.fileLines(dir.resolve("out")))
                .extracting(m -> m.get("name"))
                .containsExactly("ana", "bo, b", "carla", "dan");
    }

    @Test
    void shouldRefuseAMissingInputFileClearly() {
        PipelineSpec spec = Pipeline.named("files")
                .topic("rows", 1)
                .source("in", "file", "rows", Map.of("path", "nope.jsonl"))
                .build();
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir)))
                    .isInstanceOf(PipelineException.class)
                    .hasMessageContaining("file source reads " + dir.resolve("nope.jsonl") + ", which does not exist");
        }
    }

    @Test
    void shouldIngestOverHttpAndAnswerEveryKindOfBadRequest() throws Exception {
        int port = freePort();
        PipelineSpec spec = Pipeline.named("api")
                .topic("orders", 2)
                .source(
                        "ingest",
                        "http",
                        "orders",
                        Map.of("port", port, "token", "s3cret", "max-body", "1k", "key", "id"))
                .sink("out", "file", Map.of("path", "out"), s -> s.from("orders"))
                .build();
        HttpClient http = HttpClient.newHttpClient();
        String url = "http://127.0.0.1:" + port + "/topics/orders";
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"));
                PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() ->
                            http.send(get("http://127.0.0.1:" + port + "/health"), HttpResponse.BodyHandlers.ofString())
                                            .statusCode()
                                    == 200);

            HttpResponse<String> one = http.send(
                    post(url, "{\"id\":1,\"item\":\"book\"}", "s3cret"), HttpResponse.BodyHandlers.ofString());
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(one.body()).contains("\"count\":1", "\"offsets\":[{\"");
            HttpResponse<String> batch =
                    http.send(post(url, "[{\"id\":2},{\"id\":3}]", "s3cret"), HttpResponse.BodyHandlers.ofString());
            assertThat(batch.body()).contains("\"count\":2");

            assertThat(http.send(post(url, "{\"id\":", "s3cret"), HttpResponse.BodyHandlers.ofString()))
                    .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
                    .satisfies(r -> assertThat(r.body()).contains("the body is not valid JSON"));
            assertThat(http.send(post(url, "[1, 2]", "s3cret"), HttpResponse.BodyHandlers.ofString())
                            .body())
                    .contains("event 1 is not a JSON object");
            assertThat(http.send(post(url, "{}", "wrong"), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
            assertThat(http.send(
                                    post(url, "{\"x\":\"" + "a".repeat(2000) + "\"}", "s3cret"),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(413);
            assertThat(http.send(
                                    post("http://127.0.0.1:" + port + "/topics/other", "{}", "s3cret"),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .contains("POST events to /topics/orders");
            assertThat(http.send(get(url), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(405);

            await().atMost(Duration.ofSeconds(10)).until(() -> lines("out") == 3);
        }
        assertThat(EndToEndIT.fileLines(dir.resolve("out")))
                .extracting(m -> m.get("id"))
                .containsExactlyInAnyOrder(1, 2, 3);
    }

    /**
     * Clients that stall in their headers hold no thread: 500 of them leave an authenticated request answered at once
     * (it used to wait for a free one of four threads, forever), and each is closed once its 10 s to send its headers
     * have passed.
     */
    @Test
    void shouldAnswerBesideFiveHundredStalledConnectionsAndCloseThem() throws Exception {
        int port = freePort();
        PipelineSpec spec = Pipeline.named("api")
                .topic("orders", 1)
                .source("ingest", "http", "orders", Map.of("port", port, "token", "s3cret"))
                .build();
        HttpClient http = HttpClient.newHttpClient();
        String url = "http://127.0.0.1:" + port + "/topics/orders";
        List<java.net.Socket> stalled = new java.util.ArrayList<>();
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"));
                PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> http.send(post(url, "{\"id\":0}", "s3cret"), HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
            for (int i = 0; i < 500; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                s.getOutputStream()
                        .write("POST /topics/orders HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                stalled.add(s);
            }
            for (int i = 1; i <= 5; i++) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer s3cret")
                                .timeout(Duration.ofSeconds(1)) // measured: a few ms (docs/benchmarks.md)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":" + i + "}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
            java.net.Socket first = stalled.get(0);
            first.setSoTimeout(30_000);
            assertThat(first.getInputStream().read())
                    .as("closed after its 10 s for headers")
                    .isEqualTo(-1);
        } finally {
            for (java.net.Socket s : stalled) {
                s.close();
            }
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpRequest post(String url, String body, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET().build();
    }

    private long lines(String out) throws Exception {
        Path d = dir.resolve(out);
        if (!Files.exists(d)) {
            return 0;
        }
        return EndToEndIT.fileLines(d).size();
    }
}
