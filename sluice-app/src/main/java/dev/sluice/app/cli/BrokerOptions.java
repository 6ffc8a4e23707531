package dev.sluice.app.cli;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the events are: {@code --broker URL} or {@code --data-dir DIR}, else {@code $SLUICE_BROKER}, else ./data.
 * Declared once on the root command and inherited by every subcommand, so they may be given before or after it.
 */
public final class BrokerOptions {
    @Option(
            names = {"-b", "--broker"},
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            description = "Broker URL, e.g. embedded:./data (default: $SLUICE_BROKER or embedded:./data).")
    String broker;

    @Option(
            names = {"-d", "--data-dir"},
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            description = "Data directory of the embedded broker; short for --broker embedded:DIR.")
    String dataDir;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of unexpected errors.")
    boolean debug;

    /** The options as parsed for the command line that {@code spec} belongs to. */
    public static BrokerOptions of(CommandSpec spec) {
        return ((SluiceCommand) spec.root().userObject()).broker;
    }

    /** True if --broker or --data-dir was given on the command line (or $SLUICE_BROKER is set). */
    public boolean given() {
        String env = System.getenv("SLUICE_BROKER");
        return broker != null || dataDir != null || (env != null && !env.isBlank());
    }

    /** The --data-dir given, or null. */
    public String dataDirectory() {
        return dataDir;
    }

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
