package dev.sluice.stream.state;

import java.util.Map;

/** What a {@link KeyedFunction} is told, and can do, while it handles an event or a timer. */
public interface KeyedContext {
    /** The key whose state the state objects now read and write. */
    String key();

    /** The event's time, or the time the timer was set for. */
    long time();

    /** Event time so far: every event still to come is expected at or after it. */
    long watermark();

    /** The wall clock (the pipeline's clock). */
    long processingTime();

    Timers timers();

    /** Sends an event downstream with these fields, keyed by the current key. */
    void emit(Map<String, Object> fields);
}
