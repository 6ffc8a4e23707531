package dev.sluice.broker.embedded;

import dev.sluice.broker.Admin;
import dev.sluice.broker.Broker;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Producer;
import dev.sluice.broker.ProducerConfig;
import dev.sluice.log.Log;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogException;
import dev.sluice.log.RecoveryReport;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker that runs inside the process, on the durable log of one data directory. Consumer groups are coordinated in
 * memory among the consumers of this process; committed offsets are stored in the internal compacted topic {@value
 * OffsetStore#TOPIC}, so they survive restarts.
 */
public final class EmbeddedBroker implements Broker {
    private final Log log;
    private final OffsetStore offsets;
    private final GroupCoordinator groups;
    private final EmbeddedAdmin admin;
    private final Set<EmbeddedProducer> producers = ConcurrentHashMap.newKeySet();
    private final Set<EmbeddedConsumer> consumers = ConcurrentHashMap.newKeySet();

    private EmbeddedBroker(Log log) {
        this.log = log;
        this.offsets = new OffsetStore(log);
        this.groups = new GroupCoordinator(log.dataDir().toString());
        this.admin = new EmbeddedAdmin(log, offsets, groups);
    }

    /**
     * Opens the log in {@code dataDir} (recovering it after a crash).
     *
     * @throws dev.sluice.broker.BrokerException if the directory is locked or unusable
     */
    public static EmbeddedBroker open(Path dataDir) {
        return open(LogConfig.of(dataDir));
    }

    public static EmbeddedBroker open(LogConfig config) {
        try {
            return new EmbeddedBroker(Log.open(config));
        } catch (LogException e) {
            throw Errors.translate(e);
        }
    }

    @Override
    public String url() {
        return "embedded:" + log.dataDir();
    }

    /** The underlying log, for tools that work below the broker API (benchmarks, repair). */
    public Log log() {
        return log;
    }

    public RecoveryReport recoveryReport() {
        return log.recoveryReport();
    }

    @Override
    public Admin admin() {
        return admin;
    }

    @Override
    public Producer producer(ProducerConfig config) {
        EmbeddedProducer p = new EmbeddedProducer(log, config, producers::remove);
        producers.add(p);
        return p;
    }

    @Override
    public Consumer consumer(ConsumerConfig config) {
        EmbeddedConsumer c = new EmbeddedConsumer(log, offsets, groups, config, consumers::remove);
        consumers.add(c);
        return c;
    }

    @Override
    public void close() {
        producers.forEach(EmbeddedProducer::close);
        consumers.forEach(EmbeddedConsumer::markBrokerClosed);
        log.close();
    }
}
