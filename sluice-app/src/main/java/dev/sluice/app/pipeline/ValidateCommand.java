package dev.sluice.app.pipeline;

import dev.sluice.app.cli.Output;
import dev.sluice.stream.connector.Connectors;
import dev.sluice.stream.runtime.PipelinePlan;
import dev.sluice.stream.runtime.PipelineValidator;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.spec.TopicSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice validate FILE}: checks a pipeline completely without running it or opening the broker. */
@Command(name = "validate", description = "Check a pipeline file without running it.", mixinStandardHelpOptions = true)
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The pipeline YAML file.")
    Path file;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PipelineSpec pipeline = PipelineFiles.load(file);
        PipelinePlan plan = new PipelineValidator(Connectors.discover(), PipelineFiles.baseDir(file), Clock.systemUTC())
                .validate(pipeline);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pipeline", pipeline.name());
            m.put("valid", true);
            m.put("topics", plan.topics().stream().map(TopicSpec::name).toList());
            m.put("sources", plan.sources().stream().map(s -> s.spec().name()).toList());
            m.put("stages", plan.stages().stream().map(s -> s.spec().name()).toList());
            out.println(Output.json(m));
        } else {
            out.printf(
                    "%s is valid: pipeline %s with %d source(s), %d stage(s) and sink(s), %d topic(s) including"
                            + " dead-letter topics.%n",
                    file,
                    pipeline.name(),
                    plan.sources().size(),
                    plan.stages().size(),
                    plan.topics().size());
        }
        out.flush();
        return 0;
    }
}
