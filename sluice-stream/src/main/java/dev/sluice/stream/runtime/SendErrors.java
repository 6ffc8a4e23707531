package dev.sluice.stream.runtime;

import dev.sluice.broker.Producer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/** The first error among a batch's sends, reported by producer threads and checked by the task after a flush. */
final class SendErrors implements Producer.SendCallback {
    private final AtomicReference<Throwable> first = new AtomicReference<>();

    @Override
    public void onCompletion(Throwable error) {
        if (error != null) {
            first.compareAndSet(null, error);
        }
    }

    void clear() {
        first.set(null);
    }

    /** @throws CompletionException with the first error, if a send failed */
    void check() {
        Throwable error = first.get();
        if (error != null) {
            throw new CompletionException(error);
        }
    }
}
