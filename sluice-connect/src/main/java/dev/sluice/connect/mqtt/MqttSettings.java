package dev.sluice.connect.mqtt;

import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * How to reach an MQTT broker, shared by the source and the sink.
 *
 * @param version 3 (MQTT 3.1.1) or 5
 * @param clientId the client identifier; the broker keeps a persistent session under it
 * @param password null without credentials
 * @param receiveMaximum how many QoS 1 messages the broker may send before they are acknowledged (MQTT 5 only;
 *     {@link #BROKER_LIMIT} leaves it to the broker)
 */
record MqttSettings(
        String host,
        int port,
        boolean tls,
        int version,
        String clientId,
        String username,
        String password,
        int qos,
        int receiveMaximum) {
    /** What MQTT 5 means by no receive maximum: the client does not send one, and the broker uses its own limit. */
    static final int BROKER_LIMIT = 65_535;

    MqttSettings withClientId(String id) {
        return new MqttSettings(host, port, tls, version, id, username, password, qos, receiveMaximum);
    }

    MqttSettings withReceiveMaximum(int max) {
        return new MqttSettings(host, port, tls, version, clientId, username, password, qos, max);
    }

    /** The settings every MQTT connector takes. */
    static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.required(
                        "url",
                        "tcp://127.0.0.1:1883",
                        "the broker: tcp:// or mqtt:// (1883), ssl:// or mqtts:// (8883)"),
                ConfigKey.optional("version", "5", "MQTT protocol version: 3.1.1 (default) or 5"),
                ConfigKey.optional("client-id", "plant-7-ingest", "client identifier (sluice-<pipeline>-<name>)"),
                ConfigKey.optional("username", "sensor", "user name"),
                ConfigKey.optional("password", "${env:MQTT_PASSWORD}", "password"),
                ConfigKey.optional("qos", "1", "quality of service: 0 (at most once) or 1 (at least once, default)"));
    }

    static MqttSettings of(Config config, ConnectorContext context) {
        String url = config.string("url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw config.error("url", "is not a URL: " + e.getMessage() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        boolean tls = scheme.equals("ssl") || scheme.equals("mqtts");
        if (!tls && !scheme.equals("tcp") && !scheme.equals("mqtt") || uri.getHost() == null) {
            throw config.error(
                    "url", "must be tcp://host:port or ssl://host:port (mqtt:// and mqtts:// too), got '" + url + "'.");
        }
        Object v = config.has("version") ? config.raw("version") : "3.1.1";
        int version;
        if ("3.1.1".equals(v.toString()) || "3".equals(v.toString())) {
            version = 3;
        } else if ("5".equals(v.toString()) || "5.0".equals(v.toString())) {
            version = 5;
        } else {
            throw config.error("version", "must be 3.1.1 or 5, got '" + v + "'.");
        }
        Object q = config.has("qos") ? config.raw("qos") : 1;
        if (!(q instanceof Number n) || (n.doubleValue() != 0 && n.doubleValue() != 1)) {
            throw config.error("qos", "must be 0 or 1, got " + q + " (QoS 2 is not supported).");
        }
        int qos = ((Number) q).intValue();
        return new MqttSettings(
                uri.getHost(),
                uri.getPort() > 0 ? uri.getPort() : tls ? 8883 : 1883,
                tls,
                version,
                config.string("client-id", "sluice-" + context.pipeline() + "-" + context.name()),
                config.string("username", null),
                config.secret("password", null),
                qos,
                BROKER_LIMIT);
    }

    String address() {
        return (tls ? "ssl://" : "tcp://") + host + ":" + port;
    }
}
