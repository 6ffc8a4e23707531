package dev.sluice.broker.embedded;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.contract.BrokerContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The broker contract on the embedded log; {@link #reopen()} closes the log and opens its directory again. */
class EmbeddedBrokerContractTest extends BrokerContract {
    @TempDir
    Path dir;

    private Broker broker;

    @BeforeEach
    void open() {
        broker = Brokers.open("embedded:" + dir);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Override
    protected Broker broker() {
        return broker;
    }

    @Override
    protected Broker reopen() {
        broker.close();
        broker = Brokers.open("embedded:" + dir);
        return broker;
    }
}
