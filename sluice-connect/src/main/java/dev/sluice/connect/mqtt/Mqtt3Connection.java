package dev.sluice.connect.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link MqttConnection} over MQTT 3.1.1 (a clean-session-false session; messages have no properties). */
final class Mqtt3Connection extends HiveMqConnection {
    private Mqtt3AsyncClient client;

    Mqtt3Connection(MqttSettings settings) {
        super(settings);
    }

    @Override
    public CompletableFuture<Void> connect() {
        Mqtt3ClientBuilder b = configure(MqttClient.builder().useMqttVersion3());
        if (settings.username() != null) {
            b = b.simpleAuth()
                    .username(settings.username())
                    .password(password())
                    .applySimpleAuth();
        }
        client = b.buildAsync();
        if (handler != null) {
            // ALL, not SUBSCRIBED: what the session kept comes before this client has subscribed again, and would be
            // acknowledged unseen
            client.publishes(MqttGlobalPublishFilter.ALL, p -> handler.accept(message(p)), handlerThread(), true);
        }
        return client.connectWith().cleanSession(false).send().thenApply(ack -> null);
    }

    @Override
    protected void subscribeAll() {
        List<Mqtt3Subscription> subscriptions = filters.stream()
                .map(f -> Mqtt3Subscription.builder().topicFilter(f).qos(qos).build())
                .toList();
        client.subscribeWith()
                .addSubscriptions(subscriptions)
                .send()
                .whenComplete((ack, error) -> logFailedSubscription(error));
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
    protected MqttClient client() {
        return client;
    }

    @Override
    protected CompletableFuture<Void> disconnectClient() {
        return client.disconnect();
    }
}
