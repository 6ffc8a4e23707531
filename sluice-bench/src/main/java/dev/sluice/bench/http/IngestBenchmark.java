package dev.sluice.bench.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * HTTP ingest through the product: {@code ./sluice run} with an {@code http} source into a topic with the default
 * settings ({@code flush.policy=always}: every event is fsynced before its answer), on a fresh data directory, loaded
 * from plain sockets on the same machine ({@link HttpLoad}). Measures, against the targets of issue 18:
 *
 * <ul>
 *   <li>single-event requests per second from C kept-alive connections (target 30,000 from 8);
 *   <li>events per second in batches of B events per request (target 500,000);
 *   <li>p99 latency at 5,000 single-event requests per second, paced (target under 5 ms).
 * </ul>
 *
 * <p>{@code sluice-bench/run.sh ingest [SECONDS [CONNECTIONS [BATCH]]]} (defaults 10, 8, 500); {@code
 * JAVA_OPTS=-Dingest.flush=os} gives the topic another {@code flush.policy}.
 */
public final class IngestBenchmark {
    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        String flush = System.getProperty("ingest.flush", "always"); // the topic's flush.policy
        Path launcher = Path.of(System.getProperty("ingest.sluiceLauncher", "sluice"));
        Path work = Path.of(System.getProperty("ingest.work", "target")).resolve("ingest-run");
        deleteTree(work);
        Files.createDirectories(work);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(work.resolve("ingest.yaml"), """
                pipeline: ingest-bench
                topics:
                  events: {partitions: 2, flush: %s}
                sources:
                  - {name: api, type: http, to: events, port: %d, max-in-flight: 256, max-body: 4MiB}
                """.formatted(flush, port));
        Process sluice = new ProcessBuilder(launcher.toString(), "run", "ingest.yaml", "--data-dir", "data", "--quiet")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("sluice.log").toFile())
                .start();
        try {
            awaitHealthy(port);
            byte[] one = HttpLoad.post(
                    "/topics/events", "", "{\"user\":\"u1\",\"page\":\"/cart\",\"ts\":1764000000000}".getBytes());
            StringBuilder many = new StringBuilder("[");
            for (int i = 0; i < batch; i++) {
                many.append(i == 0 ? "" : ",")
                        .append("{\"user\":\"u")
                        .append(i)
                        .append("\",\"page\":\"/p/")
                        .append(i % 50)
                        .append("\",\"ts\":1764000000000}");
            }
            byte[] batched = HttpLoad.post(
                    "/topics/events", "", many.append(']').toString().getBytes(StandardCharsets.UTF_8));
            HttpLoad.run(port, one, connections, 2, 0); // warm-up
            HttpLoad.Result single = HttpLoad.run(port, one, connections, seconds, 0);
            HttpLoad.Result batches = HttpLoad.run(port, batched, connections, seconds, 0);
            HttpLoad.Result paced = HttpLoad.run(port, one, connections, seconds, 5_000 / connections);
            System.out.println(
                    "ingest through ./sluice run (http source, topic with flush.policy=" + flush + "), " + seconds
                            + " s each, " + connections + " kept-alive connections, "
                            + Runtime.getRuntime().availableProcessors() + " cores:");
            System.out.println("  single events:         " + single.describe(seconds) + "   (target 30,000/s)");
            System.out.printf(
                    "  batches of %d:        %,d events/s (%s)   (target 500,000 events/s)%n",
                    batch, batches.requests() * batch / seconds, batches.describe(seconds));
            System.out.println("  paced, 5,000 requests/s: " + paced.describe(seconds) + "   (target p99 under 5 ms)");
        } finally {
            sluice.destroy();
            if (!sluice.waitFor(60, TimeUnit.SECONDS)) {
                sluice.destroyForcibly();
            }
        }
    }

    private static void awaitHealthy(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3); // the launcher may build the app first
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("sluice run did not start listening on " + port + " within 3 minutes");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
