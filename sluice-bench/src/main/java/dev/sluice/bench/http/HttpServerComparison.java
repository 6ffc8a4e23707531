package dev.sluice.bench.http;

import com.sun.net.httpserver.HttpServer;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Which HTTP server library Sluice's endpoints should stand on (issue 18): the JDK's {@code com.sun.net.httpserver}
 * (HTTP ingest today, here given {@code TCP_NODELAY} and the four threads ingest has), Jetty 12 (its defaults, and a
 * pool of 8 threads) and Undertow 2.4 (its defaults). Each serves the same handler (read a small JSON body, answer 200 with a small JSON), and plain
 * sockets on the same machine measure:
 *
 * <ul>
 *   <li>single-event requests per second and their p99 latency over C kept-alive connections for S seconds;
 *   <li>the slowest of 20 requests, each on a new connection, while N other connections sit stalled in the middle of
 *       their request headers (as a slow or hostile client leaves them).
 * </ul>
 *
 * A diagnostic for choosing the library, not a product figure: the ingest benchmark through {@code sluice run} comes
 * with the endpoint built on the one chosen.
 *
 * <p>{@code sluice-bench/run.sh compare-http [SECONDS [CONNECTIONS [STALLED]]]} (defaults 5, 8, 500).
 */
public final class HttpServerComparison {
    private static final byte[] BODY =
            "{\"user\":\"u1\",\"page\":\"/cart\",\"ts\":1764000000000}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ANSWER = "{\"count\":1}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REQUEST = HttpLoad.post("/topics/in", "", BODY);

    private interface Server extends AutoCloseable {
        int port();

        @Override
        void close() throws Exception;
    }

    private HttpServerComparison() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int stalled = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        System.setProperty("sun.net.httpserver.nodelay", "true"); // the JDK server's best: without it 40 ms a request
        List<String> rows = new ArrayList<>();
        rows.add(String.format(
                Locale.ROOT,
                "%-9s %12s %10s %10s   %s",
                "server",
                "requests/s",
                "p50 ms",
                "p99 ms",
                "slowest of 20 new requests beside " + stalled + " stalled connections"));
        for (String engine : List.of("jdk", "jetty", "jetty-8", "undertow")) {
            try (Server server = start(engine)) {
                HttpLoad.run(server.port(), REQUEST, connections, 1, 0); // warm-up
                HttpLoad.Result load = HttpLoad.run(server.port(), REQUEST, connections, seconds, 0);
                Histogram latencies = load.latencies();
                long requests = load.requests();
                String stall = stalledThenMeasure(server.port(), stalled);
                rows.add(String.format(
                        Locale.ROOT,
                        "%-9s %,12d %10.2f %10.2f   %s",
                        engine,
                        requests / seconds,
                        latencies.getValueAtPercentile(50) / 1e6,
                        latencies.getValueAtPercentile(99) / 1e6,
                        stall));
                System.err.println("[compare-http] " + rows.get(rows.size() - 1));
            }
        }
        System.out.println("compare-http: " + seconds + " s, " + connections + " kept-alive connections, " + BODY.length
                + "-byte JSON bodies, " + Runtime.getRuntime().availableProcessors() + " cores");
        rows.forEach(System.out::println);
    }

    private static Server start(String engine) throws Exception {
        return switch (engine) {
            case "jdk" -> {
                HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
                s.setExecutor(Executors.newFixedThreadPool(4));
                s.createContext("/", exchange -> {
                    try (exchange) {
                        exchange.getRequestBody().readAllBytes();
                        exchange.getResponseHeaders().add("Content-Type", "application/json");
                        exchange.sendResponseHeaders(200, ANSWER.length);
                        exchange.getResponseBody().write(ANSWER);
                    }
                });
                s.start();
                yield new Server() {
                    public int port() {
                        return s.getAddress().getPort();
                    }

                    public void close() {
                        s.stop(0);
                        ((java.util.concurrent.ExecutorService) s.getExecutor()).shutdownNow();
                    }
                };
            }
            case "jetty", "jetty-8" -> { // jetty-8: a pool of 8 threads, as many as Undertow's workers here
                org.eclipse.jetty.server.Server s = engine.equals("jetty")
                        ? new org.eclipse.jetty.server.Server()
                        : new org.eclipse.jetty.server.Server(new org.eclipse.jetty.util.thread.QueuedThreadPool(8, 8));
                ServerConnector connector = new ServerConnector(s);
                connector.setHost("127.0.0.1");
                connector.setPort(0);
                s.addConnector(connector);
                s.setHandler(new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) throws Exception {
                        Content.Source.asString(request);
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, ANSWER.length);
                        response.write(true, java.nio.ByteBuffer.wrap(ANSWER), callback);
                        return true;
                    }
                });
                s.start();
                yield new Server() {
                    public int port() {
                        return connector.getLocalPort();
                    }

                    public void close() throws Exception {
                        s.stop();
                    }
                };
            }
            case "undertow" -> {
                Undertow u = Undertow.builder()
                        .addHttpListener(0, "127.0.0.1")
                        .setHandler(exchange -> exchange.getRequestReceiver().receiveFullBytes((ex, bytes) -> {
                            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                            ex.getResponseSender().send(java.nio.ByteBuffer.wrap(ANSWER));
                        }))
                        .build();
                u.start();
                int port = ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
                yield new Server() {
                    public int port() {
                        return port;
                    }

                    public void close() {
                        u.stop();
                    }
                };
            }
            default -> throw new IllegalArgumentException(engine);
        };
    }

    /** Opens N connections that send half a request and stop; then times 20 requests on new connections. */
    private static String stalledThenMeasure(int port, int stalled) throws IOException {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < stalled; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.getOutputStream()
                        .write("POST /topics/in HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                open.add(s);
            }
            long slowest = 0;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(REQUEST);
                    HttpLoad.readAnswer(new java.io.BufferedInputStream(s.getInputStream()));
                } catch (SocketTimeoutException e) {
                    return "no answer within 10 s";
                }
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
            return String.format(Locale.ROOT, "%.1f ms", slowest / 1e6);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
