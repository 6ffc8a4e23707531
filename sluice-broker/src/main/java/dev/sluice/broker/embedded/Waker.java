package dev.sluice.broker.embedded;

import java.util.concurrent.locks.LockSupport;

/**
 * Parks one thread until another thread signals it or a timeout passes: how a consumer waits for data without
 * spinning. A signal given between {@link #reset()} and {@link #await(long)} is not lost.
 */
final class Waker {
    private volatile Thread waiter;
    private volatile boolean signalled;

    /** Forgets earlier signals: call before checking for work. */
    void reset() {
        signalled = false;
    }

    /** Returns when signalled (since the last reset) or after {@code nanos}. */
    void await(long nanos) {
        long deadline = System.nanoTime() + nanos;
        waiter = Thread.currentThread();
        try {
            while (!signalled) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || Thread.currentThread().isInterrupted()) {
                    return;
                }
                LockSupport.parkNanos(this, remaining);
            }
        } finally {
            waiter = null;
        }
    }

    /** Thread-safe and cheap when nobody waits. */
    void wake() {
        signalled = true;
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
