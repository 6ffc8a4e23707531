package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.expr.Expression;
import dev.sluice.stream.expr.Expressions;
import dev.sluice.stream.spec.StepSpec;
import java.util.function.Consumer;

/** {@code filter: "event.agent != 'bot'"} keeps the events for which the expression is true. */
final class FilterStep implements Step {
    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "filter";
        }

        @Override
        public String usage() {
            return "filter: \"event.agent != 'bot' && event.amount > 0\"";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            return new FilterStep(Expressions.compile(
                    Args.string(spec.argument(), spec.location(), "filter"), spec.location(), "filter"));
        }
    }

    private final Expression condition;

    private FilterStep(Expression condition) {
        this.condition = condition;
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        if (condition.test(record)) {
            out.accept(record);
        }
    }
}
