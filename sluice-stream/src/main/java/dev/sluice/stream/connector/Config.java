package dev.sluice.stream.connector;

import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.step.Args;
import java.util.List;
import java.util.Map;

/** A connector's settings, checked against its declared keys, with typed accessors whose errors say where. */
public final class Config {
    private final String what;
    private final Map<String, Object> values;
    private final Location location;

    private Config(String what, Map<String, Object> values, Location location) {
        this.what = what;
        this.values = values;
        this.location = location;
    }

    /**
     * @throws PipelineException for an unknown key (with the closest declared one) or a missing required one
     */
    public static Config check(String what, Map<String, Object> values, List<ConfigKey> keys, Location location) {
        List<String> required =
                keys.stream().filter(ConfigKey::required).map(ConfigKey::name).toList();
        List<String> optional =
                keys.stream().filter(k -> !k.required()).map(ConfigKey::name).toList();
        Args.checkKeys(values, location, what, required, optional);
        for (ConfigKey k : keys) {
            if (values.containsKey(k.name()) && values.get(k.name()) == null) {
                throw new PipelineException(
                        location,
                        what + ": '" + k.name() + "' has no value; write it as '" + k.name() + ": " + k.example() + "'"
                                + (k.required() ? "" : ", or leave it out") + ".");
            }
        }
        return new Config(what, Map.copyOf(values), location);
    }

    public Location location() {
        return location;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Object raw(String key) {
        return values.get(key);
    }

    public String string(String key) {
        return Args.string(values.get(key), location, what + "." + key);
    }

    public String string(String key, String otherwise) {
        return has(key) ? string(key) : otherwise;
    }

    /**
     * A secret: the value, in which {@code ${env:NAME}} stands for the environment variable NAME (so it stays out of
     * the pipeline file); {@code otherwise} when the key is not set.
     *
     * @throws PipelineException if a variable is not set
     */
    public String secret(String key, String otherwise) {
        return has(key) ? withEnvironment(key, string(key)) : otherwise;
    }

    /**
     * {@code value}, a setting of {@code key}, with each {@code ${env:NAME}} replaced by the environment variable.
     *
     * @throws PipelineException if a variable is not set
     */
    public String withEnvironment(String key, String value) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (int start = value.indexOf("${env:"); start >= 0; start = value.indexOf("${env:", at)) {
            int end = value.indexOf('}', start);
            if (end < 0) {
                break;
            }
            String name = value.substring(start + 6, end);
            String v = System.getenv(name);
            if (v == null || v.isEmpty()) {
                throw error(key, "refers to environment variable " + name + ", which is not set.");
            }
            out.append(value, at, start).append(v);
            at = end + 1;
        }
        return out.append(value.substring(at)).toString();
    }

    public int positiveInt(String key, int otherwise) {
        return has(key) ? Args.positiveInt(values.get(key), location, what + "." + key) : otherwise;
    }

    public long positiveLong(String key, long otherwise) {
        if (!has(key)) {
            return otherwise;
        }
        Object v = values.get(key);
        if (v instanceof Number n && n.longValue() > 0 && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        throw new PipelineException(
                location, "'" + what + "." + key + "' must be a whole number above 0, got " + Args.describe(v) + ".");
    }

    /** A number (whole or not); {@code otherwise} when the key is not set. */
    public double number(String key, double otherwise) {
        if (!has(key)) {
            return otherwise;
        }
        if (values.get(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new PipelineException(
                location, "'" + what + "." + key + "' must be a number, got " + Args.describe(values.get(key)) + ".");
    }

    /** A whole number; {@code otherwise} when the key is not set. */
    public long wholeNumber(String key, long otherwise) {
        if (!has(key)) {
            return otherwise;
        }
        if (values.get(key) instanceof Number n && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        throw new PipelineException(
                location,
                "'" + what + "." + key + "' must be a whole number, got " + Args.describe(values.get(key)) + ".");
    }

    public long durationMillis(String key, long otherwise) {
        return has(key) ? Args.durationMillis(values.get(key), location, what + "." + key) : otherwise;
    }

    /** A duration that must be above zero (a timeout, a wait). */
    public long positiveDurationMillis(String key, long otherwise) {
        long ms = durationMillis(key, otherwise);
        if (has(key) && ms <= 0) {
            throw new PipelineException(
                    location,
                    "'" + what + "." + key + "' must be longer than 0, got " + Args.describe(values.get(key)) + ".");
        }
        return ms;
    }

    public boolean bool(String key, boolean otherwise) {
        if (!has(key)) {
            return otherwise;
        }
        if (values.get(key) instanceof Boolean b) {
            return b;
        }
        throw new PipelineException(
                location,
                "'" + what + "." + key + "' must be true or false, got " + Args.describe(values.get(key)) + ".");
    }

    public Map<String, Object> map(String key) {
        return Args.map(values.get(key), location, what + "." + key, "{...}");
    }

    public List<String> strings(String key) {
        return Args.strings(values.get(key), location, what + "." + key, "[a, b]");
    }

    /** An error about one key, with the place. */
    public PipelineException error(String key, String message) {
        return new PipelineException(location, "'" + what + "." + key + "' " + message);
    }
}
