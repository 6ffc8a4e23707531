package dev.sluice.app;

import dev.sluice.app.cli.SluiceCommand;
import dev.sluice.app.cli.UserErrors;
import java.io.PrintWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;

/** Entry point of the {@code sluice} command. */
public final class Main {
    /** Kafka's clients log every failed connection attempt; Sluice reports what matters itself. Held, not to be GCed. */
    private static final Logger KAFKA_CLIENTS = Logger.getLogger("org.apache.kafka");

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code, without exiting. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command line writing to the given streams (for tests and embedding). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        configureLogging();
        CommandLine cli = new CommandLine(new SluiceCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(UserErrors::handle);
        cli.setParameterExceptionHandler(UserErrors::handleUsage);
        return cli.execute(args);
    }

    /** One line per message on stderr, warnings and up: the library logs through java.util.logging. */
    private static void configureLogging() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s: %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.WARNING);
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
        KAFKA_CLIENTS.setLevel(Level.OFF);
    }
}
