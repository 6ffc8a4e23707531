package dev.sluice.connect.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** {@link MqttConnection} over MQTT 3.1.1 (a clean-session-false session; messages have no properties). */
final class Mqtt3Connection implements MqttConnection {
    private final MqttSettings settings;
    private final MqttQos qos;
    private Mqtt3AsyncClient client;
    private ExecutorService handlerThread;
    private List<String> filters = List.of();
    private Consumer<MqttMessage> handler;

    Mqtt3Connection(MqttSettings settings) {
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
        Mqtt3ClientBuilder b = MqttClient.builder()
                .useMqttVersion3()
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
        return client.connectWith().cleanSession(false).send().thenApply(ack -> null);
    }

    private void subscribeAll() {
        List<Mqtt3Subscription> subscriptions = new ArrayList<>();
        for (String f : filters) {
            subscriptions.add(
                    Mqtt3Subscription.builder().topicFilter(f).qos(qos).build());
        }
        client.subscribeWith()
                .addSubscriptions(subscriptions)
                .send()
                .whenComplete((ack, error) -> MqttConnection.logFailedSubscription(filters, error));
    }

    private static MqttMessage message(Mqtt3Publish p) {
        return new MqttMessage(
                p.getTopic().toString(),
                p.getPayloadAsBytes(),
                p.getQos().getCode(),
                p.isRetain(),
                List.of(),
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
                .thenApply(p -> null);
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
