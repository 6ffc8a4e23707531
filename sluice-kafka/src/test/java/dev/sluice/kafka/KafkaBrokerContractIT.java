package dev.sluice.kafka;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.contract.BrokerContract;
import dev.sluice.kafka.server.LocalKafka;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The broker contract on a real single-node Apache Kafka 4.x, started for this class. */
class KafkaBrokerContractIT extends BrokerContract {
    private static LocalKafka kafka;
    private final List<Broker> opened = new ArrayList<>();

    @BeforeAll
    static void startKafka() {
        kafka = LocalKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @BeforeEach
    void open() {
        opened.add(Brokers.open(kafka.url()));
    }

    @AfterEach
    void close() {
        opened.forEach(Broker::close);
    }

    @Override
    protected long shortPollIntervalMs() {
        return 6_000;
    }

    @Override
    protected Broker broker() {
        return opened.get(0);
    }

    @Override
    protected Broker reopen() {
        Broker b = Brokers.open(kafka.url());
        opened.add(b);
        return b;
    }
}
