package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.expr.Expression;
import dev.sluice.stream.expr.Expressions;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StepSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code route: [{when: "event.amount > 1000", to: big-orders}, {otherwise: orders}]} sends each event to the topic of
 * the first condition it meets; without a match and without {@code otherwise}, to the stage's own output.
 */
final class RouteStep implements Step {
    record Rule(Expression when, String to) {}

    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "route";
        }

        @Override
        public String usage() {
            return "route: [{when: \"event.amount > 1000\", to: big-orders}, {otherwise: orders}]";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            var at = spec.location();
            List<Rule> rules = new ArrayList<>();
            String otherwise = null;
            for (Object o : Args.list(spec.argument(), at, "route", "[{when: \"...\", to: topic}]")) {
                Map<String, Object> m =
                        Args.map(o, at, "route entry", "{when: \"event.amount > 1000\", to: big-orders}");
                if (m.containsKey("otherwise")) {
                    Args.checkKeys(m, at, "route entry", List.of("otherwise"), List.of());
                    otherwise = Args.string(m.get("otherwise"), at, "otherwise");
                } else {
                    Args.checkKeys(m, at, "route entry", List.of("when", "to"), List.of());
                    rules.add(new Rule(
                            Expressions.compile(Args.string(m.get("when"), at, "when"), at, "route.when"),
                            Args.string(m.get("to"), at, "to")));
                }
            }
            if (rules.isEmpty() && otherwise == null) {
                throw new PipelineException(at, "route needs at least one {when, to} entry.");
            }
            return new RouteStep(rules, otherwise);
        }
    }

    private final List<Rule> rules;
    private final String otherwise;

    private RouteStep(List<Rule> rules, String otherwise) {
        this.rules = rules;
        this.otherwise = otherwise;
    }

    /** Every topic this step may send to, so the runtime can check they exist. */
    List<String> targets() {
        List<String> t = new ArrayList<>();
        rules.forEach(r -> t.add(r.to()));
        if (otherwise != null) {
            t.add(otherwise);
        }
        return t;
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        for (Rule r : rules) {
            if (r.when().test(record)) {
                record.destination(r.to());
                out.accept(record);
                return;
            }
        }
        if (otherwise != null) {
            record.destination(otherwise);
        }
        out.accept(record);
    }
}
