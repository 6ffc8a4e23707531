package dev.sluice.app.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice bench}: measure this machine. */
@Command(
        name = "bench",
        description = "Measure throughput and latency on this machine.",
        mixinStandardHelpOptions = true,
        subcommands = {LogBenchCommand.class, PipelineBenchCommand.class, CheckpointBenchCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
