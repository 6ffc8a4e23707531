package dev.sluice.stream.expr;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.step.StepException;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlExpression;

/**
 * A compiled expression over one event. Variables: {@code event} (the fields), {@code key}, {@code timestamp}
 * (epoch ms), {@code headers} (name to text). Functions: see {@link Functions}. Thread-safe.
 */
public final class Expression {
    private final String source;
    private final JexlExpression compiled;
    private final FastPath.Node fast;
    private final org.apache.commons.jexl3.JexlArithmetic arithmetic;

    Expression(
            String source,
            JexlExpression compiled,
            FastPath.Node fast,
            org.apache.commons.jexl3.JexlArithmetic arithmetic) {
        this.source = source;
        this.compiled = compiled;
        this.fast = fast;
        this.arithmetic = arithmetic;
    }

    /** True if this expression is evaluated without JEXL's interpreter (see {@link FastPath}). */
    boolean isFast() {
        return fast != null;
    }

    public String source() {
        return source;
    }

    /**
     * @throws StepException if evaluation fails (the event goes to the dead-letter topic)
     */
    public Object evaluate(StreamRecord record) {
        if (fast != null) {
            try {
                return fast.eval(record, arithmetic);
            } catch (RuntimeException e) {
                // JEXL gives the answer (or the error message) for whatever the fast path does not handle
            }
        }
        return evaluateWithJexl(record);
    }

    /** Evaluation through JEXL's interpreter only: the reference the fast path is checked against. */
    Object evaluateWithJexl(StreamRecord record) {
        try {
            return compiled.evaluate(new RecordContext(record));
        } catch (JexlException e) {
            if (e.getCause() instanceof BoundedArithmetic.TooManySteps tooMany) {
                throw new StepException("expression '" + source + "' failed: " + tooMany.getMessage(), e);
            }
            throw new StepException("expression '" + source + "' failed: " + Expressions.describe(e), e);
        } catch (RuntimeException e) {
            throw new StepException("expression '" + source + "' failed: " + e, e);
        }
    }

    /**
     * Evaluates to a boolean.
     *
     * @throws StepException if the result is not a boolean
     */
    public boolean test(StreamRecord record) {
        Object v = evaluate(record);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new StepException("expression '" + source + "' must give true or false, but gave "
                + (v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")"));
    }

    @Override
    public String toString() {
        return source;
    }
}
