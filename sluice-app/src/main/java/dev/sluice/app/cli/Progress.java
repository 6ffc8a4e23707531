package dev.sluice.app.cli;

import java.io.PrintWriter;

/**
 * A one-line progress report on stderr, rewritten at most once a second, shown only when the work takes longer than a
 * second and stderr is a terminal or {@code SLUICE_PROGRESS=1}.
 */
public final class Progress {
    private final PrintWriter err;
    private final String what;
    private final long total;
    private final long start = System.nanoTime();
    private final boolean enabled;
    private long lastPrint = start;
    private boolean printed;

    public Progress(PrintWriter err, String what, long total) {
        this.err = err;
        this.what = what;
        this.total = total;
        this.enabled = System.console() != null || "1".equals(System.getenv("SLUICE_PROGRESS"));
    }

    public void update(long done) {
        long now = System.nanoTime();
        if (!enabled || now - lastPrint < 1_000_000_000L) {
            return;
        }
        lastPrint = now;
        double seconds = (now - start) / 1e9;
        String of = total > 0 ? " / " + Output.count(total) : "";
        err.printf("\r%s %s%s (%s/s)   ", what, Output.count(done), of, Output.count((long) (done / seconds)));
        err.flush();
        printed = true;
    }

    public void done() {
        if (printed) {
            err.print("\r" + " ".repeat(70) + "\r");
            err.flush();
        }
    }

    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
