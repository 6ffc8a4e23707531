package dev.sluice.connect.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilderBase;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What both protocol versions share over the HiveMQ client: the client's address, reconnects and TLS, subscribing
 * again on every connect, one thread for the message handler, and disconnecting.
 */
abstract class HiveMqConnection implements MqttConnection {
    protected final MqttSettings settings;
    protected final MqttQos qos;
    protected List<String> filters = List.of();
    protected Consumer<MqttMessage> handler;
    private ExecutorService handlerThread;

    HiveMqConnection(MqttSettings settings) {
        this.settings = settings;
        this.qos = settings.qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE;
    }

    @Override
    public void subscribe(List<String> filters, Consumer<MqttMessage> handler) {
        this.filters = List.copyOf(filters);
        this.handler = handler;
    }

    /** The settings of either version's client builder: identity, address, reconnects, TLS, subscriptions. */
    protected <B extends MqttClientBuilderBase<B>> B configure(B builder) {
        B b = builder.identifier(settings.clientId())
                .serverHost(settings.host())
                .serverPort(settings.port())
                .automaticReconnect()
                .initialDelay(500, TimeUnit.MILLISECONDS)
                .maxDelay(30, TimeUnit.SECONDS)
                .applyAutomaticReconnect();
        if (settings.tls()) {
            b = b.sslWithDefaultConfig();
        }
        b = b.addDisconnectedListener(HiveMqConnection::logLostConnection);
        if (!filters.isEmpty()) {
            b = b.addConnectedListener(c -> subscribeAll());
        }
        return b;
    }

    /**
     * Logs a connection that was up and is lost (once, not every failed reconnect; not a disconnect asked for), with
     * what to do when the cause is the broker sending more than the receive maximum.
     */
    private static void logLostConnection(MqttClientDisconnectedContext context) {
        if (context.getSource() == MqttDisconnectSource.USER
                || context.getReconnector().getAttempts() > 0) {
            return;
        }
        String cause = context.getCause().getMessage();
        String hint = cause != null && cause.contains("receive maximum")
                ? " (the broker sent more unacknowledged messages than the source's receive-maximum allows: raise"
                        + " receive-maximum, as every reconnect gets them all again)"
                : "";
        System.getLogger("dev.sluice.connect.mqtt")
                .log(
                        System.Logger.Level.WARNING,
                        "MQTT connection to " + context.getClientConfig().getServerHost() + ":"
                                + context.getClientConfig().getServerPort() + " lost: " + cause + hint
                                + "; reconnecting");
    }

    /** Subscribes to {@link #filters} (on every connect). */
    protected abstract void subscribeAll();

    /** Logs a subscription the broker refused (or that could not be sent), which would otherwise go unnoticed. */
    protected void logFailedSubscription(Throwable error) {
        if (error != null) {
            System.getLogger("dev.sluice.connect.mqtt")
                    .log(System.Logger.Level.ERROR, "subscribing to " + filters + " failed: " + error.getMessage());
        }
    }

    /** The client, once built. */
    protected abstract MqttClient client();

    /** Closes the connection. */
    protected abstract CompletableFuture<Void> disconnectClient();

    protected byte[] password() {
        return settings.password() == null ? new byte[0] : settings.password().getBytes(StandardCharsets.UTF_8);
    }

    /** The one thread messages are handed to {@link #handler} on, in order. */
    protected ExecutorService handlerThread() {
        if (handlerThread == null) {
            handlerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "sluice-mqtt-" + settings.clientId()));
        }
        return handlerThread;
    }

    @Override
    public boolean isConnected() {
        return client() != null && client().getState().isConnected();
    }

    @Override
    public void disconnect() {
        if (client() != null) {
            disconnectClient()
                    .orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
        }
        if (handlerThread != null) {
            handlerThread.shutdown();
        }
    }
}
