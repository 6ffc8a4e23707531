package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.spec.StepSpec;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code explode: items} emits one event per element of the array field {@code items}, with the element in place of
 * the array. An empty or missing array emits nothing; a field that is not an array is an error.
 */
final class ExplodeStep implements Step {
    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "explode";
        }

        @Override
        public String usage() {
            return "explode: items";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            return new ExplodeStep(FieldPath.of(Args.string(spec.argument(), spec.location(), "explode")));
        }
    }

    private final FieldPath field;

    private ExplodeStep(FieldPath field) {
        this.field = field;
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        Object v = field.get(record.fields());
        if (v == null) {
            return;
        }
        if (!(v instanceof List<?> items)) {
            throw new StepException("field '" + field + "' is not an array, so it cannot be exploded");
        }
        for (Object item : items) {
            StreamRecord copy = record.copy();
            field.put(copy.fields(), item);
            out.accept(copy);
        }
    }
}
