package dev.sluice.connect.webhook;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One task's webhook sink. Each write sends its records in order, {@code batch} per request, one request at a time
 * (a stage runs more tasks for more at once). A request is tried up to {@code attempts} times: again after a 5xx, 429 or
 * 408 answer, a timeout or a connection that failed, waiting {@link RetryDelays}; any other answer outside 2xx means the
 * endpoint refused the events. The write then stops and reports the request's events as failed and the later ones as
 * not tried, so that the runtime dead-letters or retries exactly those.
 */
final class WebhookWriter implements Sink {
    private final WebhookSettings settings;
    private final WebhookBodies bodies;
    private final RetryDelays delays;
    private final Mac mac;
    private HttpClient client;

    WebhookWriter(WebhookSettings settings) {
        this.settings = settings;
        this.bodies = new WebhookBodies(settings);
        this.delays = new RetryDelays(settings.backoffMs(), settings.maxBackoffMs());
        this.mac = settings.secret() == null ? null : hmac(settings.secret());
    }

    @Override
    public void open() {
        client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(settings.timeoutMs()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void write(List<StreamRecord> records) throws SinkException {
        List<StreamRecord> unfit = new ArrayList<>();
        List<StreamRecord> fit = new ArrayList<>(records.size());
        String problem = null;
        for (StreamRecord r : records) {
            String p = bodies.problem(r);
            if (p == null) {
                fit.add(r);
            } else {
                unfit.add(r);
                problem = p;
            }
        }
        for (int from = 0; from < fit.size(); from += settings.batch()) {
            List<StreamRecord> chunk = fit.subList(from, Math.min(fit.size(), from + settings.batch()));
            try {
                post(chunk);
            } catch (SinkException e) {
                List<StreamRecord> untried = new ArrayList<>(fit.subList(from + chunk.size(), fit.size()));
                untried.addAll(unfit);
                throw e.partly(chunk, untried);
            }
        }
        if (!unfit.isEmpty()) {
            throw SinkException.undeliverable("webhook " + settings.url() + ": " + problem, null)
                    .partly(unfit, List.of());
        }
    }

    /** Sends one request, trying again as the settings say. */
    private void post(List<StreamRecord> chunk) throws SinkException {
        WebhookBodies.Body body = bodies.of(chunk);
        HttpRequest request = request(body);
        String last = null;
        for (int attempt = 1; ; attempt++) {
            long wait;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return;
                }
                last = "HTTP " + status + answer(response.body());
                if (status != 408 && status != 429 && status < 500) {
                    throw SinkException.rejected(
                            "webhook " + settings.url() + " refused " + describe(chunk) + ": " + last, null);
                }
                wait = delays.after(
                        attempt, response.headers().firstValue("Retry-After").orElse(null));
            } catch (HttpTimeoutException e) {
                last = "no answer within " + settings.timeoutMs() + " ms";
                wait = delays.after(attempt, null);
            } catch (IOException e) {
                last = "could not send: " + e;
                wait = delays.after(attempt, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SinkException.retriable("webhook " + settings.url() + ": interrupted", e);
            }
            if (attempt >= settings.attempts()) {
                throw SinkException.undeliverable(
                        "webhook " + settings.url() + " failed " + attempt + " times for " + describe(chunk)
                                + "; last: " + last,
                        null);
            }
            sleep(wait);
        }
    }

    private HttpRequest request(WebhookBodies.Body body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.url())
                .timeout(Duration.ofMillis(settings.timeoutMs()))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        settings.headers().forEach(b::header);
        if (settings.secret() != null) {
            b.header(settings.signatureHeader(), "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.bytes())));
        }
        return b.build();
    }

    /**
     * HMAC-SHA256 with the shared secret, which signs each body (in hex): what a receiver computes to check the sender.
     * Used by the task's thread only; each {@code doFinal} starts afresh.
     */
    private static Mac hmac(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static String answer(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().replaceAll("\\s+", " ");
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }

    private static String describe(List<StreamRecord> chunk) {
        return chunk.size() == 1 ? "the event" : "a batch of " + chunk.size() + " events";
    }

    private static void sleep(long ms) throws SinkException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SinkException.retriable("webhook: interrupted while waiting to try again", e);
        }
    }

    @Override
    public void close() {
        client = null; // its connections close when it is collected (HttpClient has no close before Java 21)
    }
}
