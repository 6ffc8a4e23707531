package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.StepSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The simple field steps: {@code set}, {@code rename}, {@code drop} and {@code keep}. */
final class FieldSteps {
    private FieldSteps() {}

    /** {@code set: {source: web, version: 2}} sets fields to fixed values. */
    static final class Set implements StepFactory {
        @Override
        public String kind() {
            return "set";
        }

        @Override
        public String usage() {
            return "set: {source: web, version: 2}";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            Map<FieldPath, Object> values = new LinkedHashMap<>();
            Args.map(spec.argument(), spec.location(), "set", "{source: web}")
                    .forEach((k, v) -> values.put(FieldPath.of(k), v));
            return (record, out) -> {
                Map<String, Object> fields = record.fields();
                values.forEach((f, v) -> f.put(fields, Json.deepCopy(v)));
                out.accept(record);
            };
        }
    }

    /** {@code rename: {usr: user_id}} renames fields; a missing field is left alone. */
    static final class Rename implements StepFactory {
        @Override
        public String kind() {
            return "rename";
        }

        @Override
        public String usage() {
            return "rename: {usr: user_id, ts: timestamp}";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            Map<FieldPath, FieldPath> renames = new LinkedHashMap<>();
            Args.map(spec.argument(), spec.location(), "rename", "{usr: user_id}")
                    .forEach((from, to) -> renames.put(
                            FieldPath.of(from), FieldPath.of(Args.string(to, spec.location(), "rename." + from))));
            return (record, out) -> {
                Map<String, Object> fields = record.fields();
                renames.forEach((from, to) -> {
                    if (from.get(fields) != null || fields.containsKey(from.toString())) {
                        to.put(fields, from.remove(fields));
                    }
                });
                out.accept(record);
            };
        }
    }

    /** {@code drop: [password, debug]} removes fields. */
    static final class Drop implements StepFactory {
        @Override
        public String kind() {
            return "drop";
        }

        @Override
        public String usage() {
            return "drop: [password, debug]";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            List<FieldPath> fields = new ArrayList<>();
            Args.strings(spec.argument(), spec.location(), "drop", "[password, debug]")
                    .forEach(f -> fields.add(FieldPath.of(f)));
            return new Step() {
                @Override
                public void apply(StreamRecord record, Consumer<StreamRecord> out) {
                    Map<String, Object> m = record.fields();
                    fields.forEach(f -> f.delete(m));
                    out.accept(record);
                }
            };
        }
    }

    /**
     * {@code keep: [ts, user, page]} keeps these top-level fields and removes every other one (in the order the event
     * has them); fields parsed from JSON are neither decoded nor rewritten for it.
     */
    static final class Keep implements StepFactory {
        @Override
        public String kind() {
            return "keep";
        }

        @Override
        public String usage() {
            return "keep: [ts, user, page]";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            List<String> names = Args.strings(spec.argument(), spec.location(), "keep", "[ts, user, page]");
            for (String name : names) {
                if (!FieldPath.of(name).isTopLevel()) {
                    throw new dev.sluice.stream.spec.PipelineException(
                            spec.location(),
                            "'keep' takes top-level fields, got '" + name + "'; to keep a nested field, copy it to"
                                    + " the top level first (map: {city: \"event." + name + "\"}) and keep that.");
                }
            }
            java.util.Set<String> keys = new java.util.HashSet<>(names);
            return (record, out) -> {
                dev.sluice.stream.json.Json.keepOnly(record.fields(), keys);
                out.accept(record);
            };
        }
    }
}
