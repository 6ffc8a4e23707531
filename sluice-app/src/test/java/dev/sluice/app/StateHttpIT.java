package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running pipeline answers questions about its window state over HTTP, and {@code sluice state} asks them. */
class StateHttpIT {
    @TempDir
    Path dir;

    @Test
    void shouldServeTheCurrentResultsOfAKey() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), """
                pipeline: live
                broker: embedded:data
                topics:
                  clicks: {partitions: 2}
                  counts: {partitions: 1}
                sources:
                  - name: gen
                    type: generator
                    to: clicks
                    rate: 500/s
                    key: user
                    fields:
                      user: {int: [1, 100]}
                      page: {one-of: [/a, /b]}
                      ts: now
                stages:
                  - name: per-hour
                    from: clicks
                    steps:
                      - parse: json
                      - window: {tumbling: 1h, by: page, time: ts, aggregate: {views: count()}}
                    to: counts
                """);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        Process p = sluice("run", "p.yaml", "--quiet", "--http", Integer.toString(port));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                CliRun r = CliRun.of("state", "per-hour", "/a", "--url", url, "--json");
                return r.code() == 0 && r.out().contains("\"views\"");
            });
            CliRun table = CliRun.of("state", "per-hour", "/a", "--url", url);
            assertThat(table.code()).isZero();
            assertThat(table.out())
                    .startsWith("page")
                    .contains("window_start")
                    .contains("/a")
                    .contains("false");

            CliRun none = CliRun.of("state", "per-hour", "/c", "--url", url);
            assertThat(none.out()).startsWith("No window of stage per-hour holds key /c now.");

            CliRun unknown = CliRun.of("state", "per-day", "/a", "--url", url);
            assertThat(unknown.code()).isEqualTo(1);
            assertThat(unknown.err())
                    .contains("no stage 'per-day' in pipeline live; stages: [per-hour.partition, per-hour]")
                    .doesNotContain("Exception");

            HttpResponse<String> stages = get(url + "/stages");
            assertThat(stages.statusCode()).isEqualTo(200);
            assertThat(stages.body()).contains("\"pipeline\":\"live\"").contains("\"per-hour\"");
            assertThat(get(url + "/stages/per-hour/state").statusCode()).isEqualTo(400);
            assertThat(get(url + "/nothing").statusCode()).isEqualTo(404);
        } finally {
            SluiceProcess.stop(p);
        }
        CliRun gone = CliRun.of("state", "per-hour", "/a", "--url", url);
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).contains("No pipeline answers at " + url).contains("--http 8080");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Process sluice(String... args) throws IOException {
        return SluiceProcess.start(dir, dir.resolve("run.log"), args);
    }
}
