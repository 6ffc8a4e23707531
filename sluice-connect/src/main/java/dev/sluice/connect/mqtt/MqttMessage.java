package dev.sluice.connect.mqtt;

import dev.sluice.broker.Header;
import java.util.List;

/**
 * A message received from the MQTT broker.
 *
 * @param properties MQTT 5 properties (user properties, content type), as headers
 * @param acknowledge tells the broker the message is taken care of (a QoS 1 PUBACK); until then it sends it again
 *     after a reconnect
 */
record MqttMessage(
        String topic, byte[] payload, int qos, boolean retain, List<Header> properties, Runnable acknowledge) {}
