package dev.sluice.app.pipeline;

import dev.sluice.app.cli.Output;
import dev.sluice.connect.http.HttpListener;
import dev.sluice.stream.runtime.PipelineRun;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP endpoint of a running pipeline ({@code sluice run --http 8080}), for dashboards that cannot wait for a
 * sink: {@code GET /stages} gives each stage's counters, {@code GET /stages/NAME/state?key=K} the current window
 * results a stage holds for a key (open windows so far, and closed ones kept for late events). JSON in, JSON out;
 * mistakes get a 4xx with {@code {"error": ...}}. On the listener every endpoint has ({@link HttpListener}), on this
 * machine only: it has no authentication yet.
 */
final class StateServer implements AutoCloseable {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final Undertow server;

    private StateServer(Undertow server) {
        this.server = server;
    }

    /**
     * @param address {@code PORT} (on 127.0.0.1) or {@code HOST:PORT}
     * @throws IllegalArgumentException if the address is not one, not this machine's, or the port is taken
     */
    static StateServer start(String address, PipelineRun run) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : address.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--http '" + address + "' is not a port or HOST:PORT, such as 8080 or 127.0.0.1:8080");
        }
        if (!dev.sluice.stream.connector.Hosts.isLoopback(host)) {
            throw new IllegalArgumentException("--http " + address + " would let other machines read every stage's"
                    + " counters and state without authentication, which this endpoint does not have yet; it listens"
                    + " on this machine only (--http " + port + "). Reach it from elsewhere through an SSH tunnel or a"
                    + " proxy that authenticates.");
        }
        try {
            return new StateServer(HttpListener.start(host, port, 0, exchange -> handle(exchange, run)));
        } catch (BindException e) {
            throw new IllegalArgumentException(
                    "--http: cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); pick another port");
        }
    }

    int port() {
        return HttpListener.port(server);
    }

    private static void handle(HttpServerExchange exchange, PipelineRun run) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(() -> handle(exchange, run)); // a state query waits on the stage: not on an I/O thread
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            send(exchange, 405, Map.of("error", "only GET is served here"));
            return;
        }
        String[] path = exchange.getRequestPath().split("/"); // decoded: "", "stages", NAME, "state"
        if (path.length == 2 && path[1].equals("stages")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("pipeline", run.plan().spec().name());
            body.put("stages", run.metrics());
            send(exchange, 200, body);
        } else if (path.length == 4 && path[1].equals("stages") && path[3].equals("state")) {
            state(exchange, run, path[2]);
        } else {
            send(exchange, 404, Map.of("error", "not found; try GET /stages or GET /stages/NAME/state?key=K"));
        }
    }

    private static void state(HttpServerExchange exchange, PipelineRun run, String stage) {
        Deque<String> keys = exchange.getQueryParameters().get("key");
        if (keys == null || keys.isEmpty()) {
            send(exchange, 400, Map.of("error", "give the key: GET /stages/" + stage + "/state?key=K"));
            return;
        }
        String key = keys.getFirst();
        try {
            List<Map<String, Object>> results = run.queryState(stage, key, QUERY_TIMEOUT);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("stage", stage);
            body.put("key", key);
            body.put("results", results);
            send(exchange, 200, body);
        } catch (IllegalArgumentException e) {
            send(exchange, 404, Map.of("error", e.getMessage()));
        } catch (IllegalStateException e) {
            send(exchange, 503, Map.of("error", e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 503, Map.of("error", "interrupted"));
        }
    }

    private static void send(HttpServerExchange exchange, int status, Object body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap((Output.json(body) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        server.stop();
    }
}
