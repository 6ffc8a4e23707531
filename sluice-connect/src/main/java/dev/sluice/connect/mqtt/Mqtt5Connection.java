package dev.sluice.connect.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import dev.sluice.broker.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** {@link MqttConnection} over MQTT 5: its user properties and content type become headers. */
final class Mqtt5Connection implements MqttConnection {
    /** How long the broker keeps the session of a client that is away. */
    private static final long SESSION_EXPIRY_S = 7 * 24 * 3600;

    private final MqttSettings settings;
    private final MqttQos qos;
    private Mqtt5AsyncClient client;
    private ExecutorService handlerThread;
    private List<String> filters = List.of();
    private Consumer<MqttMessage> handler;

    Mqtt5Connection(MqttSettings settings) {
        this.settings = settings;
        this.qos = settings.qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE;
    }

    @Override
    public void subscribe(List<String> filters, Consumer<MqttMessage> handler) {
        this.filters = List.copyOf(filters);
        this.handler = handler;
    }

    @Override
    public CompletableFuture<Void> connect() {
        Mqtt5ClientBuilder b = MqttClient.builder()
                .useMqttVersion5()
                .identifier(settings.clientId())
                .serverHost(settings.host())
                .serverPort(settings.port())
                .automaticReconnect()
                .initialDelay(500, TimeUnit.MILLISECONDS)
                .maxDelay(30, TimeUnit.SECONDS)
                .applyAutomaticReconnect();
        if (settings.tls()) {
            b = b.sslWithDefaultConfig();
        }
        if (settings.username() != null) {
            b = b.simpleAuth()
                    .username(settings.username())
                    .password(
                            settings.password() == null
                                    ? new byte[0]
                                    : settings.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        if (!filters.isEmpty()) {
            b = b.addConnectedListener(c -> subscribeAll());
        }
        client = b.buildAsync();
        if (handler != null) {
            handlerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "sluice-mqtt-" + settings.clientId()));
            // ALL, not SUBSCRIBED: what the session kept comes before this client has subscribed again, and would be
            // acknowledged unseen
            client.publishes(MqttGlobalPublishFilter.ALL, p -> handler.accept(message(p)), handlerThread, true);
        }
        return client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(SESSION_EXPIRY_S)
                .send()
                .thenApply(ack -> null);
    }

    private void subscribeAll() {
        List<Mqtt5Subscription> subscriptions = new ArrayList<>();
        for (String f : filters) {
            subscriptions.add(
                    Mqtt5Subscription.builder().topicFilter(f).qos(qos).build());
        }
        client.subscribeWith()
                .addSubscriptions(subscriptions)
                .send()
                .whenComplete((ack, error) -> MqttConnection.logFailedSubscription(filters, error));
    }

    private static MqttMessage message(Mqtt5Publish p) {
        List<Header> properties = new ArrayList<>();
        p.getContentType().ifPresent(t -> properties.add(Header.of("mqtt.content-type", t.toString())));
        p.getUserProperties()
                .asList()
                .forEach(u -> properties.add(
                        Header.of("mqtt.user." + u.getName(), u.getValue().toString())));
        return new MqttMessage(
                p.getTopic().toString(),
                p.getPayloadAsBytes(),
                p.getQos().getCode(),
                p.isRetain(),
                properties,
                p::acknowledge);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        return client.publishWith()
                .topic(topic)
                .qos(qos)
                .retain(retain)
                .payload(payload)
                .send()
                .handle((result, error) -> {
                    Throwable e = error != null ? error : result.getError().orElse(null);
                    if (e instanceof CompletionException c && c.getCause() != null) {
                        e = c.getCause();
                    }
                    if (e instanceof Mqtt5PubAckException refused) {
                        throw new Refused("the broker refused a message to " + topic + ": " + refused.getMessage(), e);
                    }
                    if (e != null) {
                        throw new CompletionException(e);
                    }
                    return null;
                });
    }

    @Override
    public boolean isConnected() {
        return client != null && client.getState().isConnected();
    }

    @Override
    public void disconnect() {
        if (client != null) {
            client.disconnect()
                    .orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
        }
        if (handlerThread != null) {
            handlerThread.shutdown();
        }
    }
}
