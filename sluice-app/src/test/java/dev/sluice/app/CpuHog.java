package dev.sluice.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A process of its own that keeps every core busy, so a test can show that what it checks does not depend on the
 * machine being idle (kill and exactly-once tests run beside one). It spins one thread per core until it is closed, or
 * until its standard input ends (the test's JVM died), so it never outlives the test.
 */
final class CpuHog implements AutoCloseable {
    private final Process process;

    private CpuHog(Process process) {
        this.process = process;
    }

    /** Starts a hog with a spinning thread per core of this machine. */
    static CpuHog start() throws IOException {
        Process p = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx32m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CpuHog.class.getName()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new CpuHog(p);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Runs each test of a class beside a hog: {@code @ExtendWith(CpuHog.Beside.class)}. The kill and exactly-once tests
     * do, in CI too.
     */
    static final class Beside implements BeforeEachCallback, AfterEachCallback {
        private static final ExtensionContext.Namespace HOGS = ExtensionContext.Namespace.create(CpuHog.class);

        @Override
        public void beforeEach(ExtensionContext context) throws IOException {
            context.getStore(HOGS).put("hog", start());
        }

        @Override
        public void afterEach(ExtensionContext context) throws InterruptedException {
            CpuHog hog = context.getStore(HOGS).remove("hog", CpuHog.class);
            if (hog != null) {
                hog.close();
            }
        }
    }

    /** The hog itself: spins until standard input ends. */
    public static void main(String[] args) throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < cores; i++) {
            Thread t = new Thread(CpuHog::spin, "hog-" + i);
            t.setDaemon(true);
            t.start();
        }
        while (System.in.read() >= 0) {
            // the test never writes; end of input means it is gone
        }
    }

    private static void spin() {
        long x = 0;
        while (true) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            if (x == 42) {
                System.out.println(x); // never, but the loop cannot be optimised away
            }
        }
    }
}
