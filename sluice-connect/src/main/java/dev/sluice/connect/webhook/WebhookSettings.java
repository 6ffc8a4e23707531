package dev.sluice.connect.webhook;

import java.net.URI;
import java.util.Map;

/**
 * The checked settings of a webhook sink.
 *
 * @param batch events per request; 1 sends each event's value as the body
 * @param cloudEvents send CloudEvents (structured mode; a batch as {@code application/cloudevents-batch+json})
 * @param secret the HMAC-SHA256 key that signs each body, or null
 */
record WebhookSettings(
        URI url,
        int batch,
        boolean cloudEvents,
        Map<String, String> headers,
        byte[] secret,
        String signatureHeader,
        long timeoutMs,
        int attempts,
        long backoffMs,
        long maxBackoffMs,
        String cloudEventsType,
        String cloudEventsSource) {}
