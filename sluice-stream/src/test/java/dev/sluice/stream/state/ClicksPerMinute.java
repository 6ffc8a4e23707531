package dev.sluice.stream.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A keyed function for the tests: per user, counts clicks per minute of event time in a map, and emits a minute's
 * count when event time passes its end, with how many minutes of this user were emitted before (a value state).
 */
public final class ClicksPerMinute implements KeyedFunction {
    private static final long MINUTE = 60_000;

    private MapState<Long> perMinute;
    private ValueState<Long> emitted;

    @Override
    public void open(StateStores stores) {
        perMinute = stores.map("per-minute", Long.class);
        emitted = stores.value("emitted", Long.class);
    }

    @Override
    public void onEvent(Map<String, Object> event, KeyedContext context) {
        long minute = context.time() - Math.floorMod(context.time(), MINUTE);
        Long count = perMinute.get(Long.toString(minute));
        perMinute.put(Long.toString(minute), count == null ? 1 : count + 1);
        context.timers().atEventTime(minute + MINUTE);
    }

    @Override
    public void onTimer(long time, KeyedContext context) {
        String minute = Long.toString(time - MINUTE);
        long n = emitted.value() == null ? 1 : emitted.value() + 1;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", context.key());
        out.put("minute", time - MINUTE);
        out.put("clicks", perMinute.get(minute));
        out.put("nth", n);
        context.emit(out);
        emitted.update(n);
        perMinute.remove(minute);
    }
}
