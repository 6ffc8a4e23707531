package dev.sluice.app.pipeline;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.app.cli.Output;
import dev.sluice.stream.runtime.PipelineRun;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The HTTP endpoint of a running pipeline ({@code sluice run --http 8080}), for dashboards that cannot wait for a
 * sink: {@code GET /stages} gives each stage's counters, {@code GET /stages/NAME/state?key=K} the current window
 * results a stage holds for a key (open windows so far, and closed ones kept for late events). JSON in, JSON out;
 * mistakes get a 4xx with {@code {"error": ...}}.
 */
final class StateServer implements AutoCloseable {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final HttpServer server;
    private final PipelineRun run;

    private StateServer(HttpServer server, PipelineRun run) {
        this.server = server;
        this.run = run;
    }

    /**
     * @param address {@code PORT} (on 127.0.0.1) or {@code HOST:PORT}
     * @throws IllegalArgumentException if the address is not one, or the port is taken
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
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--http: cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); pick another port");
        }
        StateServer s = new StateServer(server, run);
        server.createContext("/stages", s::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sluice-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return s;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, Map.of("error", "only GET is served here"));
                return;
            }
            String[] path = exchange.getRequestURI().getPath().split("/");
            // "", "stages", NAME, "state"
            if (path.length == 2) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("pipeline", run.plan().spec().name());
                body.put("stages", run.metrics());
                send(exchange, 200, body);
            } else if (path.length == 4 && path[3].equals("state")) {
                state(exchange, URLDecoder.decode(path[2], StandardCharsets.UTF_8));
            } else {
                send(exchange, 404, Map.of("error", "not found; try GET /stages or GET /stages/NAME/state?key=K"));
            }
        }
    }

    private void state(HttpExchange exchange, String stage) throws IOException {
        String key = query(exchange, "key");
        if (key == null) {
            send(exchange, 400, Map.of("error", "give the key: GET /stages/" + stage + "/state?key=K"));
            return;
        }
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

    private static String query(HttpExchange exchange, String name) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = (Output.json(body) + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
