package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.expr.Expression;
import dev.sluice.stream.expr.Expressions;
import dev.sluice.stream.spec.StepSpec;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * {@code key: "event.user_id"} sets the event's key (which picks its partition downstream) to the expression's value
 * as text.
 */
final class KeyStep implements Step {
    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "key";
        }

        @Override
        public String usage() {
            return "key: \"event.user_id\"";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            return new KeyStep(
                    Expressions.compile(Args.string(spec.argument(), spec.location(), "key"), spec.location(), "key"));
        }
    }

    private final Expression key;

    private KeyStep(Expression key) {
        this.key = key;
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        Object k = key.evaluate(record);
        record.key(k == null ? null : k.toString().getBytes(StandardCharsets.UTF_8));
        out.accept(record);
    }
}
