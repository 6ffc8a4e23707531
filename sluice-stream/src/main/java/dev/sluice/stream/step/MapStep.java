package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.expr.Expression;
import dev.sluice.stream.expr.Expressions;
import dev.sluice.stream.spec.StepSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code map: {total: "event.price * event.quantity", page: "fn:lower(event.page)"}} sets fields to expression
 * results. All expressions see the event as it was before the step.
 */
final class MapStep implements Step {
    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "map";
        }

        @Override
        public String usage() {
            return "map: {total: \"event.price * event.quantity\"}";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            Map<String, Object> m = Args.map(spec.argument(), spec.location(), "map", "{total: \"event.price * 2\"}");
            Map<FieldPath, Expression> fields = new LinkedHashMap<>();
            m.forEach((field, expr) -> fields.put(
                    FieldPath.of(field),
                    Expressions.compile(
                            Args.string(expr, spec.location(), "map." + field), spec.location(), "map." + field)));
            return new MapStep(fields);
        }
    }

    private final Map<FieldPath, Expression> fields;

    private MapStep(Map<FieldPath, Expression> fields) {
        this.fields = fields;
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        Map<String, Object> target = record.fields();
        List<Object> values = new ArrayList<>(fields.size());
        for (Expression e : fields.values()) {
            values.add(e.evaluate(record));
        }
        int i = 0;
        for (FieldPath f : fields.keySet()) {
            f.put(target, values.get(i++));
        }
        out.accept(record);
    }
}
