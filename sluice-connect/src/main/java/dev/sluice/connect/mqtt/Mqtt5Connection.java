package dev.sluice.connect.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import dev.sluice.broker.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@link MqttConnection} over MQTT 5: its user properties and content type become headers. */
final class Mqtt5Connection extends HiveMqConnection {
    /** How long the broker keeps the session of a client that is away. */
    private static final long SESSION_EXPIRY_S = 7 * 24 * 3600;

    private Mqtt5AsyncClient client;

    Mqtt5Connection(MqttSettings settings) {
        super(settings);
    }

    @Override
    public CompletableFuture<Void> connect() {
        Mqtt5ClientBuilder b = configure(MqttClient.builder().useMqttVersion5());
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
        return client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(SESSION_EXPIRY_S)
                .restrictions()
                .receiveMaximum(settings.receiveMaximum())
                .applyRestrictions()
                .send()
                .thenApply(ack -> null);
    }

    @Override
    protected void subscribeAll() {
        List<Mqtt5Subscription> subscriptions = filters.stream()
                .map(f -> Mqtt5Subscription.builder().topicFilter(f).qos(qos).build())
                .toList();
        client.subscribeWith()
                .addSubscriptions(subscriptions)
                .send()
                .whenComplete((ack, error) -> logFailedSubscription(error));
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
    protected MqttClient client() {
        return client;
    }

    @Override
    protected CompletableFuture<Void> disconnectClient() {
        return client.disconnect();
    }
}
