package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.kafka.server.LocalKafka;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events Sluice writes to Kafka are read by kcat (librdkafka, a client nobody here wrote) with the same keys, headers
 * and values; events kcat writes are consumed by a Sluice pipeline. kcat comes from Debian's packages, installed by
 * scripts/install-kcat.sh when it is missing.
 */
class KcatInteropIT {
    private static LocalKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        Process install = new ProcessBuilder(
                        "bash", repo().resolve("scripts/install-kcat.sh").toString())
                .inheritIO()
                .start();
        assertThat(install.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(install.exitValue()).as("scripts/install-kcat.sh").isZero();
        kafka = LocalKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void shouldWriteWhatKcatReads() throws Exception {
        try (Broker broker = Brokers.open(kafka.url())) {
            broker.admin().createTopic(NewTopic.of("to-kcat", 1));
            try (Producer p = broker.producer()) {
                for (int i = 0; i < 3; i++) {
                    p.send(
                            "to-kcat",
                            new Event(
                                    ("key-" + i).getBytes(StandardCharsets.UTF_8),
                                    ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                                    List.of(Header.of("source", "sluice"), Header.of("seq", "" + i)),
                                    1_700_000_000_000L + i));
                }
            }
        }
        List<String> lines = kcat(null, "-C", "-t", "to-kcat", "-o", "beginning", "-e", "-f", "%k|%h|%s|%T\\n");
        assertThat(lines)
                .containsExactly(
                        "key-0|source=sluice,seq=0|{\"n\":0}|1700000000000",
                        "key-1|source=sluice,seq=1|{\"n\":1}|1700000000001",
                        "key-2|source=sluice,seq=2|{\"n\":2}|1700000000002");
    }

    @Test
    void shouldConsumeWhatKcatWrites() throws Exception {
        try (Broker broker = Brokers.open(kafka.url())) {
            broker.admin().createTopic(NewTopic.of("from-kcat", 2));
            kcat("a:{\"n\": 1}\nb:{\"n\": 2}\nc:{\"n\": 3}\n", "-P", "-t", "from-kcat", "-K", ":", "-H", "origin=kcat");
            var spec = Pipeline.named("interop")
                    .existingTopic("from-kcat")
                    .sink(
                            "out",
                            "file",
                            Map.of("path", "out"),
                            s -> s.from("from-kcat")
                                    .parse("json")
                                    .map(new java.util.LinkedHashMap<>(Map.of("twice", "event.n * 2")))
                                    .map(Map.of("who", "key")))
                    .build();
            try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
                assertThat(run.awaitIdle(Duration.ofSeconds(60)))
                        .as(String.valueOf(run.failure()))
                        .isTrue();
            }
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            for (Path f : files.toList()) {
                out.addAll(Files.readAllLines(f));
            }
        }
        assertThat(out)
                .containsExactlyInAnyOrder(
                        "{\"n\": 1,\"twice\":2,\"who\":\"a\"}",
                        "{\"n\": 2,\"twice\":4,\"who\":\"b\"}",
                        "{\"n\": 3,\"twice\":6,\"who\":\"c\"}");
    }

    private static List<String> kcat(String input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kcat", "-b", kafka.bootstrapServers()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kcat " + cmd).isZero();
        return out.lines().toList();
    }

    private static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/install-kcat.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "cannot find scripts/install-kcat.sh above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
