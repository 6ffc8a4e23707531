package dev.sluice.bench.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How each engine is started for a workload, as its own process in a run directory of its own.
 *
 * <ul>
 *   <li>{@code sluice}: the product as users run it, through the {@code ./sluice} launcher, with {@code run wN.yaml
 *       --until-done --quiet --json}
 *       on a fresh embedded broker in the run directory. The pipeline file is copied from {@code
 *       sluice-bench/pipelines/} into the run directory, with the input linked as {@code input/clicks.jsonl} beside
 *       it (the file's paths are relative to it).
 *   <li>{@code flink}: {@link FlinkPipelines} with the {@code --add-opens} Flink needs on Java 17.
 *   <li>{@code loop}: {@link LoopW1} (W1 only).
 * </ul>
 *
 * Sluice runs through its launcher, {@code ./sluice}, as a user runs it (its default heap, {@code SLUICE_HEAP} and
 * {@code SLUICE_JAVA_OPTS} from the environment); the other JVMs run with the JVM's defaults (no {@code -Xmx}: a
 * quarter of the memory) unless the options say otherwise.
 *
 * @param pipelines the directory of {@code w1.yaml} and {@code w2.yaml}
 * @param sluiceLauncher the {@code sluice} script at the root of the repository
 * @param classPath this module's class path, for the Flink job and the loop
 * @param flinkJvm JVM options for Flink
 * @param parallelism Flink's parallelism after the source
 * @param timeout how long a Sluice run may take ({@code --timeout})
 */
record Engines(
        Path pipelines, Path sluiceLauncher, String classPath, List<String> flinkJvm, int parallelism, String timeout) {
    static final List<String> ALL = List.of("sluice", "flink", "loop");

    static boolean runs(String engine, String workload) {
        return !engine.equals("loop") || workload.equals("w1");
    }

    /** Prepares {@code runDir} (which must be empty) and returns the command that runs the engine there. */
    List<String> command(String engine, String workload, Path input, Path runDir) throws IOException {
        Path out = Files.createDirectories(runDir.resolve("out"));
        List<String> command = new ArrayList<>(List.of(engine.equals("sluice") ? sluiceLauncher.toString() : "java"));
        switch (engine) {
            case "sluice" -> {
                Path yaml = Files.copy(pipelines.resolve(workload + ".yaml"), runDir.resolve(workload + ".yaml"));
                Files.createSymbolicLink(
                        Files.createDirectories(runDir.resolve("input")).resolve("clicks.jsonl"),
                        input.toAbsolutePath());
                command.addAll(List.of("run", yaml.toString()));
                command.addAll(List.of("--data-dir", runDir.resolve("data").toString()));
                command.addAll(List.of("--until-done", "--quiet", "--json", "--timeout", timeout));
            }
            case "flink" -> {
                command.addAll(flinkJvm);
                command.addAll(List.of("-cp", classPath, FlinkPipelines.class.getName(), workload));
                command.addAll(List.of(input.toString(), out.toString(), Integer.toString(parallelism)));
                command.add(runDir.resolve("tmp").toString());
            }
            case "loop" -> {
                command.addAll(List.of("-cp", classPath, LoopW1.class.getName()));
                command.addAll(List.of(input.toString(), out.resolve("clicks").toString()));
            }
            default -> throw new IllegalArgumentException("unknown engine " + engine + "; engines: " + ALL);
        }
        return command;
    }

    /** Splits JVM options given as one line (as {@code $SLUICE_JAVA_OPTS} is). */
    static List<String> options(String line) {
        return line == null || line.isBlank()
                ? List.of()
                : Arrays.asList(line.trim().split("\\s+"));
    }
}
