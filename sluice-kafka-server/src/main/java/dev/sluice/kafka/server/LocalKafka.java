package dev.sluice.kafka.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-node Apache Kafka 4.x broker (KRaft, combined broker and controller) in a child JVM, started from the Maven
 * Central artifacts this module was built with, listening on 127.0.0.1 only, on ports free when it was first started.
 * It can be stopped and started again on the same ports and data (a broker restart), or killed with SIGKILL. For tests
 * and benchmarks; not thread-safe.
 */
public final class LocalKafka implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String heap;
    private final boolean forTests;
    private Process process;

    private LocalKafka(Path dir, int port, String heap, boolean forTests) {
        this.dir = dir;
        this.port = port;
        this.heap = heap;
        this.forTests = forTests;
    }

    /**
     * Formats a new storage directory and starts a broker for tests (512 MiB heap, serial GC and the C1 compiler only,
     * to start fast and leave the CPU to the tests); returns once it answers.
     */
    public static LocalKafka start() {
        return start("512m", true);
    }

    /** A broker for benchmarks: the JVM's default collector and compilers, as Kafka runs in production. */
    public static LocalKafka startForBenchmarks(String heap) {
        return start(heap, false);
    }

    private static LocalKafka start(String heap, boolean forTests) {
        try {
            Path dir = Files.createTempDirectory("sluice-kafka");
            int port = freePort();
            int controllerPort = freePort();
            Path config = dir.resolve("server.properties");
            try (var w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                ServerProperties.of(dir.resolve("logs"), port, controllerPort).store(w, "Sluice test broker");
            }
            LocalKafka kafka = new LocalKafka(dir, port, heap, forTests);
            kafka.format(config);
            kafka.startAgain();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** {@code kafka://127.0.0.1:PORT}, the Sluice broker URL. */
    public String url() {
        return "kafka://" + bootstrapServers();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the broker cleanly (SIGTERM), keeping its data and ports. */
    public void stop() {
        if (process != null) {
            process.destroy();
            await(process, 60);
        }
    }

    /** Kills the broker with SIGKILL, keeping its data and ports. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            await(process, 30);
        }
    }

    /** Starts the broker again on the same data and ports; returns once it answers. */
    public void startAgain() {
        if (isRunning()) {
            throw new IllegalStateException("Kafka is running (pid " + process.pid() + ")");
        }
        try {
            process = java(
                            "kafka.log",
                            "kafka.Kafka",
                            dir.resolve("server.properties").toString())
                    .start();
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void format(Path config) throws IOException {
        Process format = java(
                        "format.log",
                        "kafka.tools.StorageTool",
                        "format",
                        "--standalone",
                        "-t",
                        clusterId(),
                        "-c",
                        config.toString())
                .start();
        if (!await(format, 120) || format.exitValue() != 0) {
            throw new IOException("formatting Kafka's storage failed: " + tail("format.log"));
        }
    }

    /** A cluster id as Kafka writes them: 16 random bytes in URL-safe base64 without padding, not starting with '-'. */
    private static String clusterId() {
        while (true) {
            UUID u = UUID.randomUUID();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            if (!id.startsWith("-")) { // the storage tool would read an id starting with '-' as an option
                return id;
            }
        }
    }

    /** Waits for the listener, then for the broker to register: a connection alone can precede readiness. */
    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Kafka exited with " + process.exitValue() + ": " + tail("kafka.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                if (Files.readString(dir.resolve("kafka.log")).contains("Kafka Server started")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(100);
        }
        throw new IOException("Kafka did not start in 120 s: " + tail("kafka.log"));
    }

    private ProcessBuilder java(String log, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms" + heap, "-Xmx" + heap));
        if (forTests) {
            cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        }
        cmd.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                "-cp",
                classpath(),
                main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile());
    }

    private static String classpath() {
        try (InputStream in = LocalKafka.class.getResourceAsStream("kafka.classpath")) {
            if (in == null) {
                throw new IllegalStateException("kafka.classpath is missing: build sluice-kafka-server with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tail(String log) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(log));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no " + log + ": " + e.getMessage() + ")";
        }
    }

    private static boolean await(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        stop();
        if (process != null && process.isAlive()) {
            kill();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; what is left is removed with the rest of /tmp
        }
    }
}
