package dev.sluice.kafka.server;

import java.nio.file.Path;
import java.util.Properties;

/** The settings of the single-node test broker: KRaft, combined roles, 127.0.0.1 only, replication factor 1. */
final class ServerProperties {
    private ServerProperties() {}

    static Properties of(Path logDirs, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.setProperty("log.dirs", logDirs.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("group.min.session.timeout.ms", "1000");
        p.setProperty("auto.create.topics.enable", "false");
        // a transaction a killed process left open is aborted within a second of its timeout, not ten (until then it
        // hides later committed data from read-committed readers, which restores wait for)
        p.setProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // tests write events stamped near the epoch (1970); a retention check would delete them as 7 days old
        p.setProperty("log.retention.check.interval.ms", "3600000");
        return p;
    }
}
