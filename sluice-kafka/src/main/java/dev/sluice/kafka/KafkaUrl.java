package dev.sluice.kafka;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code kafka://host:port[,host:port...]} URL.
 *
 * @param bootstrapServers the addresses as Kafka's {@code bootstrap.servers} takes them
 */
record KafkaUrl(String url, String bootstrapServers) {
    static final String SCHEME = "kafka://";

    /**
     * @throws IllegalArgumentException naming the part that is wrong and the form that is right
     */
    static KafkaUrl parse(String url) {
        if (!url.startsWith(SCHEME)) {
            throw new IllegalArgumentException(
                    "Broker URL '" + url + "' does not start with kafka://; write kafka://host:port.");
        }
        String rest = url.substring(SCHEME.length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.isBlank()) {
            throw new IllegalArgumentException("Broker URL '" + url
                    + "' has no address: write kafka://host:port, or kafka://host1:9092,host2:9092 for several.");
        }
        List<String> servers = new ArrayList<>();
        for (String part : rest.split(",", -1)) {
            servers.add(hostPort(url, part.trim()));
        }
        return new KafkaUrl(url, String.join(",", servers));
    }

    private static String hostPort(String url, String part) {
        int colon = part.lastIndexOf(':');
        String problem = null;
        if (colon <= 0 || colon == part.length() - 1) {
            problem = "is not host:port";
        } else {
            try {
                int port = Integer.parseInt(part.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    problem = "has a port outside 1-65535";
                }
            } catch (NumberFormatException e) {
                problem = "has a port that is not a number";
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("Broker URL '" + url + "': '" + part + "' " + problem
                    + "; write kafka://host:port, for example kafka://localhost:9092.");
        }
        return part;
    }

    @Override
    public String toString() {
        return url;
    }
}
