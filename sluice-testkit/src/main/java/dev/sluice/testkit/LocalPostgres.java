package dev.sluice.testkit;

import dev.sluice.log.io.FileTrees;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for tests that need what a shared one may not be configured for, such as logical
 * replication ({@code wal_level=logical}) for change data capture. It is made with the installed binaries ({@code
 * initdb}, then {@code pg_ctl start}) in a new directory, listens on 127.0.0.1 on a free port with trust
 * authentication, and is stopped by its postmaster's PID on {@link #close()} (or when the JVM exits). When the JVM runs
 * as root, the server runs as the {@code postgres} user, since PostgreSQL refuses to run as root.
 *
 * <p>The binaries are looked for in {@code $SLUICE_PG_BIN}, then the newest {@code /usr/lib/postgresql/N/bin}, then
 * {@code pg_config --bindir}.
 */
public final class LocalPostgres implements AutoCloseable {
    private final Path dir;
    private final Path bin;
    private final int port;
    private final long pid;
    private final Thread onExit;

    private LocalPostgres(Path dir, Path bin, int port, long pid) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.pid = pid;
        this.onExit = new Thread(this::stop, "local-postgres-stop");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Starts a server with {@code wal_level=logical}; a few seconds at most. */
    public static LocalPostgres startLogical() {
        Path bin = findBinaries();
        try {
            Path dir = Files.createTempDirectory("sluice-pg-");
            Path data = dir.resolve("data");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                run(List.of("chown", "postgres", dir.toString()), dir);
            }
            run(
                    asServerUser(
                            root,
                            bin.resolve("initdb").toString(),
                            "-D",
                            data.toString(),
                            "-U",
                            "postgres",
                            "--auth=trust",
                            "-E",
                            "UTF8",
                            "--no-locale",
                            "--no-sync"),
                    dir);
            int port = freePort();
            Files.writeString(
                    data.resolve("postgresql.auto.conf"),
                    String.join(
                            "\n",
                            "listen_addresses = '127.0.0.1'",
                            "port = " + port,
                            "unix_socket_directories = ''",
                            "wal_level = logical",
                            "max_replication_slots = 10",
                            "max_wal_senders = 10",
                            "fsync = off",
                            ""),
                    java.nio.file.StandardOpenOption.APPEND);
            run(
                    asServerUser(
                            root,
                            bin.resolve("pg_ctl").toString(),
                            "start",
                            "-w",
                            "-t",
                            "60",
                            "-D",
                            data.toString(),
                            "-l",
                            dir.resolve("server.log").toString()),
                    dir);
            String pidLine =
                    Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
            return new LocalPostgres(dir, bin, port, Long.parseLong(pidLine));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a local PostgreSQL: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of the database {@code postgres} (user {@code postgres}, no password). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** The directory of the server's binaries (initdb, pg_ctl, pg_recvlogical, ...). */
    public Path binaries() {
        return bin;
    }

    /** The postmaster's PID. */
    public long pid() {
        return pid;
    }

    /** The server's directory (data and log), removed on close. */
    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException exiting) {
            // the hook runs or ran
        }
    }

    private void stop() {
        Optional<ProcessHandle> server = ProcessHandle.of(pid);
        if (server.isPresent()) {
            try { // SIGINT: PostgreSQL's fast shutdown
                new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
                server.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                server.get().destroyForcibly();
            }
        }
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private static List<String> asServerUser(boolean root, String... command) {
        List<String> all = new ArrayList<>();
        if (root) {
            all.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        all.addAll(List.of(command));
        return all;
    }

    private static Path findBinaries() {
        String configured = System.getenv("SLUICE_PG_BIN");
        if (configured != null && Files.isExecutable(Path.of(configured, "initdb"))) {
            return Path.of(configured);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> version(b.getParent())));
            if (newest.isPresent()) {
                return newest.get();
            }
        } catch (IOException e) {
            // not the Debian layout
        }
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) {
                return Path.of(out);
            }
        } catch (IOException | InterruptedException e) {
            // not installed
        }
        throw new IllegalStateException("no PostgreSQL server binaries found (initdb, pg_ctl): install PostgreSQL, or"
                + " set SLUICE_PG_BIN to the directory that holds them");
    }

    private static int version(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command, Path dir) throws IOException {
        Path log = dir.resolve("setup.log");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            if (!p.waitFor(Duration.ofSeconds(120).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }
}
