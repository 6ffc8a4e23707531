package dev.sluice.connect.mqtt;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One client connection to an MQTT broker, in protocol version 3.1.1 or 5, which reconnects by itself (500 ms
 * backoff, doubled up to 30 s) and keeps a persistent session: the broker holds QoS 1 messages for it while it is away
 * and sends again those it did not acknowledge.
 */
interface MqttConnection {
    static MqttConnection of(MqttSettings settings) {
        return settings.version() == 5 ? new Mqtt5Connection(settings) : new Mqtt3Connection(settings);
    }

    /**
     * Subscribes to the filters on every connect, and hands each message to {@code handler} on one thread, in order,
     * without acknowledging it. Call before {@link #connect}.
     */
    void subscribe(List<String> filters, Consumer<MqttMessage> handler);

    /** Connects; the future fails if the first try does (the client keeps trying in the background). */
    CompletableFuture<Void> connect();

    /** The broker refused a message it was sent (MQTT 5 only: 3.1.1 has no way to say so): sending it again is no use. */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Publishes; completes when the broker acknowledged it (QoS 1) or it was sent (QoS 0), or fails ({@link Refused}
     * when the broker refused it).
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain);

    boolean isConnected();

    void disconnect();
}
