package dev.sluice.stream.state;

import java.util.Map;

/**
 * A step written in Java that keeps state per key, in the Java DSL:
 *
 * <pre>{@code
 * class FirstAndLast implements KeyedFunction {
 *     ValueState<Long> count;
 *
 *     public void open(StateStores stores) { count = stores.value("count", Long.class); }
 *
 *     public void onEvent(Map<String, Object> event, KeyedContext ctx) {
 *         long n = count.value() == null ? 1 : count.value() + 1;
 *         count.update(n);
 *         ctx.timers().atEventTime(ctx.time() + 60_000);
 *     }
 *
 *     public void onTimer(long time, KeyedContext ctx) { ctx.emit(Map.of("user", ctx.key(), "events", count.value())); }
 * }
 * ...
 * .process(KeyedProcess.of(FirstAndLast::new).by("user").time("ts"))
 * }</pre>
 *
 * The state is kept per key and per input partition, checkpointed with the stage's other state into its changelog
 * topic, and restored when the task restarts or the partition moves. Each task has its own instance, used by one
 * thread.
 */
public interface KeyedFunction {
    /** Declares the state; called once before the first event. */
    default void open(StateStores stores) {}

    void onEvent(Map<String, Object> event, KeyedContext context);

    /** A timer of the current key fired. */
    default void onTimer(long time, KeyedContext context) {}
}
