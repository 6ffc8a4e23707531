package dev.sluice.app.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a long-running command ends on SIGTERM or Ctrl-C: the JVM's shutdown hook asks the command to stop and waits
 * until the command's thread has finished ({@link #close}), at most the stop timeout; if that runs out, it says so and
 * halts the process. A command holds one from the moment it has something to stop until it returns, in a
 * try-with-resources, so the hook never waits for a thread that left by an exception (which used to make {@code
 * System.exit} wait forever, and the process ignore every later signal).
 */
public final class StopSignal implements AutoCloseable {
    /** The exit status when the stop timeout ran out: the shell's for a process ended by SIGTERM. */
    static final int TIMED_OUT = 143;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private StopSignal(Runnable stop, Duration timeout, PrintWriter err) {
        this.hook = new Thread(() -> onSignal(stop, timeout, err), "sluice-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Installs the hook.
     *
     * @param stop asks the command to stop (called from the hook's thread, once); it need not return quickly
     * @param timeout how long the command may take to finish after the signal
     * @param err where to say that it did not
     */
    public static StopSignal install(Runnable stop, Duration timeout, PrintWriter err) {
        return new StopSignal(stop, timeout, err);
    }

    private void onSignal(Runnable stop, Duration timeout, PrintWriter err) {
        Thread stopper = new Thread(stop, "sluice-stop"); // a stop that hangs must not hold the hook past the timeout
        stopper.setDaemon(true);
        stopper.start();
        try {
            if (finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err.println("error: did not stop within " + dev.sluice.log.config.Durations.format(timeout.toMillis())
                + " of the signal; exiting without"
                + " finishing (what was acknowledged is kept; a restart reads again what was not committed).");
        err.flush();
        Runtime.getRuntime().halt(TIMED_OUT);
    }

    /** The command is done (normally or not): a hook that is waiting returns, and none will run any more. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running; it returns now
        }
    }
}
