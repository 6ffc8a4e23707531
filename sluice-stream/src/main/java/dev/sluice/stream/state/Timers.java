package dev.sluice.stream.state;

/**
 * Timers of the current key: {@link KeyedFunction#onTimer} is called once for each, when event time (the watermark)
 * or processing time reaches it. A timer set again for the same key and time fires once. Timers are checkpointed with
 * the state.
 */
public interface Timers {
    /** Fires when the watermark reaches {@code time} (epoch milliseconds of event time). */
    void atEventTime(long time);

    /** Fires when the wall clock reaches {@code time} (epoch milliseconds). */
    void atProcessingTime(long time);

    void cancelEventTime(long time);

    void cancelProcessingTime(long time);
}
