package dev.sluice.app.cli;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import picocli.CommandLine.Option;

/** Where the events are: {@code --broker URL} or {@code --data-dir DIR}, else {@code $SLUICE_BROKER}, else ./data. */
public final class BrokerOptions {
    @Option(
            names = {"-b", "--broker"},
            paramLabel = "URL",
            description = "Broker URL, e.g. embedded:./data (default: $SLUICE_BROKER or embedded:./data).")
    String broker;

    @Option(
            names = {"-d", "--data-dir"},
            paramLabel = "DIR",
            description = "Data directory of the embedded broker; short for --broker embedded:DIR.")
    String dataDir;

    @Option(names = "--debug", description = "Print stack traces of unexpected errors.")
    boolean debug;

    public String url() {
        if (broker != null && dataDir != null) {
            throw new UserErrors.UserException("Give either --broker or --data-dir, not both.");
        }
        if (dataDir != null) {
            return "embedded:" + dataDir;
        }
        if (broker != null) {
            return broker;
        }
        String env = System.getenv("SLUICE_BROKER");
        return env == null || env.isBlank() ? "embedded:./data" : env;
    }

    public Broker open() {
        return Brokers.open(url());
    }
}
