package dev.sluice.app.cli;

import dev.sluice.app.bench.BenchCommand;
import picocli.CommandLine.Command;

/** The root {@code sluice} command. */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Event-driven data pipelines: an embedded durable log that scales out on Apache Kafka.",
        subcommands = {
            dev.sluice.app.pipeline.RunCommand.class,
            dev.sluice.app.pipeline.ValidateCommand.class,
            dev.sluice.app.pipeline.DlqCommand.class,
            dev.sluice.app.pipeline.SqlCommand.class,
            dev.sluice.app.pipeline.StateCommand.class,
            TopicsCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            GroupsCommand.class,
            BenchCommand.class
        })
public final class SluiceCommand implements Runnable {
    @picocli.CommandLine.Mixin
    BrokerOptions broker = new BrokerOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
