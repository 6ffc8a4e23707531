package dev.sluice.connect.webhook;

import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkConnector;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: webhook}: POSTs events to an HTTP endpoint, one per request or in batches (a JSON array, or a CloudEvents
 * batch), with custom headers and an HMAC signature; retries 5xx, 429 and 408 answers, timeouts and refused
 * connections with exponential backoff (honouring {@code Retry-After}), and dead-letters what still fails after the
 * attempts run out, or what the endpoint refuses.
 */
public final class WebhookSink implements SinkConnector {
    /** Headers the sink (or Java's HTTP client) sets itself, which {@code headers} may not set. */
    private static final Set<String> OWN_HEADERS =
            Set.of("content-type", "content-length", "host", "connection", "expect", "upgrade");

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public String description() {
        return "POSTs events to an HTTP endpoint";
    }

    @Override
    public List<ConfigKey> keys() {
        return List.of(
                ConfigKey.required("url", "https://example.com/hooks/orders", "the endpoint (http or https)"),
                ConfigKey.optional("batch", "100", "events per request (default 1: one request per event)"),
                ConfigKey.optional("format", "cloudevents", "json (default) or cloudevents"),
                ConfigKey.optional("headers", "{Authorization: Bearer ${env:HOOK_TOKEN}}", "headers of every request"),
                ConfigKey.optional("secret", "${env:HOOK_SECRET}", "HMAC-SHA256 key: signs each request's body"),
                ConfigKey.optional(
                        "signature-header", "X-Hub-Signature-256", "the signature's header (X-Sluice-Signature)"),
                ConfigKey.optional("timeout", "10s", "time for one request, connecting included (default 10s)"),
                ConfigKey.optional("attempts", "5", "tries per request before the events are dead-lettered (5)"),
                ConfigKey.optional(
                        "retry-backoff", "500ms", "wait after the first failure, doubled after each (500ms)"),
                ConfigKey.optional("max-backoff", "30s", "longest wait between tries, Retry-After included (30s)"),
                ConfigKey.optional("cloudevents-type", "com.example.order", "CloudEvents type (dev.sluice.event)"),
                ConfigKey.optional(
                        "cloudevents-source", "/shop/orders", "CloudEvents source (/sluice/<pipeline>/<sink>)"));
    }

    @Override
    public Sink create(Config config, ConnectorContext context) {
        return new WebhookWriter(settings(config, context));
    }

    static WebhookSettings settings(Config config, ConnectorContext context) {
        URI url = url(config);
        String format = config.string("format", "json");
        if (!format.equals("json") && !format.equals("cloudevents")) {
            throw config.error("format", "must be json or cloudevents, got '" + format + "'.");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (config.has("headers")) {
            config.map("headers").forEach((name, value) -> {
                if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    throw config.error("headers", "sets " + name + ", which the sink sets itself.");
                }
                if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    throw config.error("headers", "gives " + name + " a value that is not text: " + value + ".");
                }
                headers.put(name, config.withEnvironment("headers", value.toString()));
            });
        }
        String secret = config.secret("secret", null);
        return new WebhookSettings(
                url,
                config.positiveInt("batch", 1),
                format.equals("cloudevents"),
                headers,
                secret == null ? null : secret.getBytes(StandardCharsets.UTF_8),
                config.string("signature-header", "X-Sluice-Signature"),
                config.positiveDurationMillis("timeout", 10_000),
                config.positiveInt("attempts", 5),
                config.positiveDurationMillis("retry-backoff", 500),
                config.positiveDurationMillis("max-backoff", 30_000),
                config.string("cloudevents-type", "dev.sluice.event"),
                config.string("cloudevents-source", "/sluice/" + context.pipeline() + "/" + context.name()));
    }

    private static URI url(Config config) {
        String text = config.string("url");
        try {
            URI url = new URI(text);
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw config.error("url", "must be an http:// or https:// URL with a host, got '" + text + "'.");
            }
            return url;
        } catch (URISyntaxException e) {
            throw config.error("url", "is not a URL: " + e.getMessage() + ".");
        }
    }
}
