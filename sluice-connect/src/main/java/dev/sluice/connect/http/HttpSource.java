package dev.sluice.connect.http;

import dev.sluice.broker.Event;
import dev.sluice.broker.SendResult;
import dev.sluice.log.config.ByteSizes;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.connector.SourceConnector;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.PipelineException;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
 * {@code type: http}: an HTTP endpoint, {@code POST /topics/<to>}, taking one JSON object, a JSON array of objects, or
 * JSON lines. It answers 200 with the stored offsets once the broker acknowledged every event, 400 naming what is wrong
 * with the body, 401 without the bearer token (if one is set), 413 over the body limit, and 429 when too many requests
 * are in flight. Binds to 127.0.0.1 unless told otherwise.
 */
public final class HttpSource implements SourceConnector {
    @Override
    public String type() {
        return "http";
    }

    @Override
    public String description() {
        return "HTTP ingest: POST /topics/<topic> with a JSON object, an array or JSON lines";
    }

    @Override
    public List<ConfigKey> keys() {
        return List.of(
                ConfigKey.required("port", "8080", "the port to listen on"),
                ConfigKey.optional("host", "127.0.0.1", "the address to bind (default 127.0.0.1: this machine only)"),
                ConfigKey.optional("token", "${env:INGEST_TOKEN}", "require 'Authorization: Bearer <token>'"),
                ConfigKey.optional(
                        "allow-unauthenticated",
                        "true",
                        "listen beyond this machine without a token: anyone who reaches the port may send events"),
                ConfigKey.optional("max-body", "1MiB", "largest request body (default 1MiB)"),
                ConfigKey.optional("max-in-flight", "64", "requests handled at once; more get 429 (default 64)"),
                ConfigKey.optional("key", "user_id", "the field whose value is the event key"));
    }

    @Override
    public Source create(Config config, ConnectorContext context) {
        long port = config.wholeNumber("port", -1);
        if (port < 0 || port > 65535) {
            throw config.error("port", "must be a port number from 0 to 65535.");
        }
        String token = config.secret("token", null);
        String host = config.string("host", "127.0.0.1");
        if (token == null
                && !config.bool("allow-unauthenticated", false)
                && !dev.sluice.stream.connector.Hosts.isLoopback(host)) {
            throw config.error(
                    "host",
                    "'" + host + "' lets other machines send events, so it needs 'token' (clients then send"
                            + " 'Authorization: Bearer <token>'), or 'allow-unauthenticated: true' to take anyone's"
                            + " events. Leave 'host' out to listen on this machine only.");
        }
        long maxBody;
        try {
            maxBody = config.has("max-body") ? ByteSizes.parse(config.string("max-body")) : 1 << 20;
        } catch (IllegalArgumentException e) {
            throw config.error("max-body", e.getMessage());
        }
        return new Server(
                host,
                (int) port,
                token,
                maxBody,
                config.positiveInt("max-in-flight", 64),
                config.string("key", null),
                context);
    }

    static final class Server implements Source.Push {
        private final String host;
        private final int port;
        private final String token;
        private final long maxBody;
        private final Semaphore inFlight;
        private final String key;
        private final ConnectorContext context;
        private Undertow server;
        private String topicPath;

        Server(
                String host,
                int port,
                String token,
                long maxBody,
                int maxInFlight,
                String key,
                ConnectorContext context) {
            this.host = host;
            this.port = port;
            this.token = token;
            this.maxBody = maxBody;
            this.inFlight = new Semaphore(maxInFlight);
            this.key = key;
            this.context = context;
        }

        @Override
        public void open(Map<String, Object> position) {}

        @Override
        public void start(Publisher publisher) {
            topicPath = "/topics/" + context.topic();
            try {
                server = HttpListener.start(host, port, maxBody, exchange -> handle(exchange, publisher));
            } catch (BindException e) {
                throw new PipelineException(
                        context.location(),
                        "HTTP source " + context.name() + " cannot listen on " + host + ":" + port
                                + ": the port is in use. Stop the other program or choose another port.");
            }
            System.getLogger("dev.sluice.connect")
                    .log(
                            System.Logger.Level.INFO,
                            "HTTP ingest listening on http://" + host + ":" + boundPort() + topicPath);
        }

        /** Compares in constant time, so the answer's timing says nothing about how much of a guess was right. */
        private boolean authorized(String header) {
            return header != null
                    && java.security.MessageDigest.isEqual(
                            header.getBytes(StandardCharsets.UTF_8),
                            ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
        }

        private void handle(HttpServerExchange exchange, Publisher publisher) {
            String path = exchange.getRequestPath();
            if (path.equals("/health")) {
                respond(exchange, 200, Map.of("status", publisher.isRunning() ? "ok" : "stopping"));
                return;
            }
            if (!path.equals(topicPath)) {
                respond(exchange, 404, Map.of("error", "no such endpoint " + path + "; POST events to " + topicPath));
                return;
            }
            if (!exchange.getRequestMethod().equals(Methods.POST)) {
                exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
                respond(exchange, 405, Map.of("error", "use POST to send events to " + topicPath));
                return;
            }
            if (token != null && !authorized(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION))) {
                respond(
                        exchange,
                        401,
                        Map.of("error", "missing or wrong bearer token: send 'Authorization: Bearer <token>'"));
                return;
            }
            if (!publisher.isRunning()) {
                respond(exchange, 503, Map.of("error", "the pipeline is stopping; try again later"));
                return;
            }
            if (!inFlight.tryAcquire()) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
                respond(exchange, 429, Map.of("error", "too many requests in flight; retry after a second"));
                return;
            }
            exchange.getRequestReceiver().receiveFullBytes((ex, body) -> ingest(ex, body, publisher), (ex, error) -> {
                inFlight.release();
                if (error instanceof RequestTooBigException) {
                    ex.setPersistent(false); // the rest of the body is not read
                    respond(
                            ex,
                            413,
                            Map.of(
                                    "error",
                                    "the body is larger than the limit of " + maxBody + " bytes; send"
                                            + " smaller batches"));
                } else {
                    IoUtils.safeClose(ex.getConnection());
                }
            });
        }

        /** Answers once the broker acknowledged every event, from the thread that acknowledged the last. */
        private void ingest(HttpServerExchange exchange, byte[] body, Publisher publisher) {
            List<Event> events;
            try {
                events = parse(body, exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE));
            } catch (IllegalArgumentException e) {
                inFlight.release();
                respond(exchange, 400, Map.of("error", e.getMessage()));
                return;
            }
            exchange.dispatch(
                    SameThreadExecutor.INSTANCE,
                    () -> publisher
                            .publish(events)
                            .orTimeout(30, TimeUnit.SECONDS)
                            .whenComplete((results, error) -> {
                                inFlight.release();
                                if (error != null) {
                                    Throwable cause = error instanceof java.util.concurrent.CompletionException
                                                    && error.getCause() != null
                                            ? error.getCause()
                                            : error;
                                    respond(
                                            exchange,
                                            503,
                                            Map.of("error", "the events could not be stored: " + cause.getMessage()));
                                    return;
                                }
                                List<Map<String, Object>> offsets = new ArrayList<>();
                                for (SendResult r : results) {
                                    offsets.add(Map.of("partition", r.partition(), "offset", r.offset()));
                                }
                                respond(exchange, 200, Map.of("count", results.size(), "offsets", offsets));
                            }));
        }

        private List<Event> parse(byte[] body, String contentType) {
            long now = System.currentTimeMillis();
            List<Object> values = new ArrayList<>();
            if (contentType != null && contentType.contains("ndjson")) {
                String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
                for (int i = 0; i < lines.length; i++) {
                    if (!lines[i].isBlank()) {
                        values.add(read(lines[i].getBytes(StandardCharsets.UTF_8), "line " + (i + 1)));
                    }
                }
            } else {
                Object v = read(body, "the body");
                if (v instanceof List<?> l) {
                    values.addAll(l);
                } else {
                    values.add(v);
                }
            }
            if (values.isEmpty()) {
                throw new IllegalArgumentException("the body holds no events");
            }
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                if (!(values.get(i) instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("event " + (i + 1) + " is not a JSON object");
                }
                Object k = key == null ? null : m.get(key);
                events.add(
                        Event.of(k == null ? null : k.toString().getBytes(StandardCharsets.UTF_8), Json.write(m), now));
            }
            return events;
        }

        private static Object read(byte[] json, String what) {
            try {
                return Json.mapper().readValue(json, Object.class);
            } catch (IOException e) {
                throw new IllegalArgumentException(what + " is not valid JSON: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }

        private static void respond(HttpServerExchange exchange, int status, Object body) {
            exchange.setStatusCode(status);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(ByteBuffer.wrap(Json.write(body)));
        }

        int boundPort() {
            return HttpListener.port(server);
        }

        @Override
        public void close() {
            if (server != null) {
                server.stop();
            }
        }
    }
}
