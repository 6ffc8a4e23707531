package dev.sluice.stream;

import dev.sluice.stream.state.KeyedFunction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code process} step in the Java DSL: a {@link KeyedFunction} with state and timers per key.
 *
 * <pre>{@code
 * .process(KeyedProcess.of(FraudCheck::new).by("card").time("ts").outOfOrder("5s"))
 * }</pre>
 *
 * Each task of the stage gets its own function from the supplier.
 */
public final class KeyedProcess {
    private final Map<String, Object> argument = new LinkedHashMap<>();

    private KeyedProcess(String key, Object value) {
        argument.put(key, value);
    }

    public static KeyedProcess of(Supplier<? extends KeyedFunction> function) {
        return new KeyedProcess("function", function);
    }

    /** A function named by class, as YAML names it ({@code process: {class: com.example.MyFunction}}). */
    public static KeyedProcess ofClass(String className) {
        return new KeyedProcess("class", className);
    }

    /** Keep state by these fields; without it, by the event key. */
    public KeyedProcess by(String... fields) {
        argument.put("by", fields.length == 1 ? fields[0] : List.of(fields));
        return this;
    }

    /** The event-time field; without it, the event timestamp. */
    public KeyedProcess time(String field) {
        return set("time", field);
    }

    public KeyedProcess outOfOrder(String duration) {
        return set("out-of-order", duration);
    }

    public KeyedProcess idleTimeout(String duration) {
        return set("idle-timeout", duration);
    }

    /** Keep the state in a file, with this much of it cached in memory per input partition. */
    public KeyedProcess onDisk(int cacheMb) {
        argument.put("store", "disk");
        argument.put("cache-mb", cacheMb);
        return this;
    }

    /** The step's argument, as YAML would give it (with the supplier under {@code function}). */
    public Map<String, Object> argument() {
        return new LinkedHashMap<>(argument);
    }

    private KeyedProcess set(String key, String value) {
        argument.put(key, value);
        return this;
    }
}
