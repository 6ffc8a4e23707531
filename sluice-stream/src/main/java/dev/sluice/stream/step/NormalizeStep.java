package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StepSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code normalize: {timestamps: [ts], types: {amount: double, qty: int}, lowercase: [country], trim: true}}: times
 * in any common form become UTC ISO-8601 text, fields are converted to the given types, text is lower-cased or
 * trimmed. A value that cannot be converted sends the event to the dead-letter topic.
 */
final class NormalizeStep implements Step {
    enum Type {
        STRING,
        INT,
        LONG,
        DOUBLE,
        DECIMAL,
        BOOLEAN,
        TIMESTAMP
    }

    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "normalize";
        }

        @Override
        public String usage() {
            return "normalize: {timestamps: [ts], types: {amount: double, qty: int}, lowercase: [country], trim: true}";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            var at = spec.location();
            Map<String, Object> m = Args.map(spec.argument(), at, "normalize", "{timestamps: [ts]}");
            Args.checkKeys(m, at, "normalize", List.of(), List.of("timestamps", "types", "lowercase", "trim"));
            List<FieldPath> timestamps = paths(m.get("timestamps"), at, "timestamps");
            List<FieldPath> lowercase = paths(m.get("lowercase"), at, "lowercase");
            Map<FieldPath, Type> types = new LinkedHashMap<>();
            if (m.containsKey("types")) {
                Args.map(m.get("types"), at, "types", "{amount: double}").forEach((field, t) -> {
                    String name = Args.string(t, at, "types." + field).toUpperCase(Locale.ROOT);
                    try {
                        types.put(FieldPath.of(field), Type.valueOf(name));
                    } catch (IllegalArgumentException e) {
                        throw new PipelineException(
                                at,
                                "unknown type '" + t + "' for types." + field + ": use string,"
                                        + " int, long, double, decimal, boolean or timestamp.");
                    }
                });
            }
            boolean trim = Boolean.TRUE.equals(m.get("trim"));
            return new NormalizeStep(timestamps, types, lowercase, trim);
        }

        private static List<FieldPath> paths(Object v, dev.sluice.stream.spec.Location at, String key) {
            List<FieldPath> out = new ArrayList<>();
            if (v != null) {
                Args.strings(v, at, key, "[ts, created_at]").forEach(f -> out.add(FieldPath.of(f)));
            }
            return out;
        }
    }

    private final List<FieldPath> timestamps;
    private final Map<FieldPath, Type> types;
    private final List<FieldPath> lowercase;
    private final boolean trim;

    private NormalizeStep(
            List<FieldPath> timestamps, Map<FieldPath, Type> types, List<FieldPath> lowercase, boolean trim) {
        this.timestamps = timestamps;
        this.types = types;
        this.lowercase = lowercase;
        this.trim = trim;
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        Map<String, Object> fields = record.fields();
        if (trim) {
            fields.replaceAll((k, v) -> v instanceof String s ? s.trim() : v);
        }
        for (FieldPath f : timestamps) {
            Object v = f.get(fields);
            if (v != null) {
                try {
                    f.put(fields, Timestamps.parse(v).toString());
                } catch (StepException e) {
                    throw new StepException("field '" + f + "': " + e.getMessage());
                }
            }
        }
        types.forEach((f, type) -> {
            Object v = f.get(fields);
            if (v != null) {
                f.put(fields, convert(f, v, type));
            }
        });
        for (FieldPath f : lowercase) {
            Object v = f.get(fields);
            if (v != null) {
                f.put(fields, v.toString().toLowerCase(Locale.ROOT));
            }
        }
        out.accept(record);
    }

    private static Object convert(FieldPath field, Object v, Type type) {
        try {
            return switch (type) {
                case STRING -> v.toString();
                case INT ->
                    v instanceof Number n
                            ? exactInt(n)
                            : Integer.parseInt(v.toString().trim());
                case LONG ->
                    v instanceof Number n
                            ? n.longValue()
                            : Long.parseLong(v.toString().trim());
                case DOUBLE ->
                    v instanceof Number n
                            ? n.doubleValue()
                            : Double.parseDouble(v.toString().trim());
                case DECIMAL -> new BigDecimal(v.toString().trim());
                case BOOLEAN -> bool(v);
                case TIMESTAMP -> Timestamps.parse(v).toString();
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new StepException(
                    "field '" + field + "' is '" + v + "', not a " + type.name().toLowerCase(Locale.ROOT));
        } catch (StepException e) {
            throw new StepException("field '" + field + "': " + e.getMessage());
        }
    }

    private static int exactInt(Number n) {
        if (n.doubleValue() != n.longValue()) {
            throw new ArithmeticException();
        }
        return Math.toIntExact(n.longValue());
    }

    private static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "y" -> true;
            case "false", "no", "0", "n" -> false;
            default -> throw new NumberFormatException();
        };
    }
}
