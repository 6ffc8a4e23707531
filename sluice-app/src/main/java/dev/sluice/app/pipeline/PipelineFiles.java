package dev.sluice.app.pipeline;

import dev.sluice.app.cli.BrokerOptions;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.yaml.PipelineYaml;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** Loading a pipeline file and choosing its broker: the command line wins over the file, the file over the default. */
final class PipelineFiles {
    private PipelineFiles() {}

    static PipelineSpec load(Path file) {
        return PipelineYaml.load(file);
    }

    static Path baseDir(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }

    static String brokerUrl(CommandSpec spec, PipelineSpec pipeline, Path file) {
        BrokerOptions options = BrokerOptions.of(spec);
        if (options.given()) {
            return options.url();
        }
        if (pipeline.broker() == null) {
            return options.url();
        }
        String url = pipeline.broker();
        if (url.startsWith("embedded:")) {
            // a relative data directory in the file is relative to the file, like every other path in it
            Path dir = Path.of(
                    url.substring("embedded:".length()).isEmpty() ? "data" : url.substring("embedded:".length()));
            return "embedded:"
                    + (dir.isAbsolute() ? dir : baseDir(file).resolve(dir).normalize());
        }
        return url;
    }
}
