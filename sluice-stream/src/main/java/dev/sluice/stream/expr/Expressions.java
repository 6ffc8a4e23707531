package dev.sluice.stream.expr;

import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import java.util.Map;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * Compiles expressions written in Apache Commons JEXL, restricted to side-effect-free expressions: no loops, no
 * functions of its own (lambdas, which could recurse), no assignments, no object creation, and calls only to a short
 * list of cheap methods ({@link AllowedCalls}) and to {@code fn:} functions. So an expression always terminates soon
 * and cannot touch the process. Missing fields read as null; arithmetic on null and unknown functions are
 * errors (the event goes to the dead-letter topic). See docs/pipelines.md for why JEXL.
 */
public final class Expressions {
    private static final JexlEngine ENGINE = new JexlBuilder()
            .features(new JexlFeatures()
                    .loops(false)
                    .sideEffect(false)
                    .sideEffectGlobal(false)
                    .newInstance(false)
                    .pragma(false)
                    .annotation(false)
                    .script(false)
                    .lambda(false)
                    .thinArrow(false)
                    .fatArrow(false))
            .permissions(new AllowedCalls(
                    JexlPermissions.RESTRICTED.compose("dev.sluice.stream.expr.*", "dev.sluice.stream.json.*")))
            .namespaces(Map.of("fn", new Functions()))
            .arithmetic(new BoundedArithmetic(true))
            .strict(true)
            .safe(true)
            .silent(false)
            .cache(512)
            .create();

    /** Where JEXL says an error is, before its message: {@code expression@LINE:COLUMN }. */
    private static final java.util.regex.Pattern LOCATION = java.util.regex.Pattern.compile("\\S*@(\\d+):(\\d+)\\s");

    private Expressions() {}

    /**
     * @throws PipelineException naming the expression, the problem and where it was written
     */
    public static Expression compile(String source, Location location, String key) {
        if (source == null || source.isBlank()) {
            throw new PipelineException(location, "'" + key + "' needs an expression, such as \"event.amount > 10\".");
        }
        for (String method : AllowedCalls.called(source)) {
            if (!AllowedCalls.METHODS.contains(method)) {
                throw new PipelineException(
                        location,
                        "'" + key + "': \"" + source + "\" calls ." + method + "(), which expressions may not."
                                + " They may call " + String.join(", ", new java.util.TreeSet<>(AllowedCalls.METHODS))
                                + ", and the fn: functions.");
            }
        }
        try {
            var compiled = ENGINE.createExpression(new org.apache.commons.jexl3.JexlInfo("expression", 1, 1), source);
            return new Expression(source, compiled, FastPath.compile(source), ENGINE.getArithmetic());
        } catch (JexlException e) {
            throw new PipelineException(
                    location, "'" + key + "' has an invalid expression \"" + source + "\": " + describe(e));
        }
    }

    /** JEXL's message without its own location prefix ({@code expression@1:9 parsing error in '=='}). */
    static String describe(JexlException e) {
        String m = String.valueOf(e.getMessage()).replace("\n", " ").trim();
        java.util.regex.Matcher at = LOCATION.matcher(m);
        if (at.lookingAt()) {
            return "at column " + at.group(2) + ": " + m.substring(at.end()).trim();
        }
        int colon = m.lastIndexOf(": ");
        return colon >= 0 ? m.substring(colon + 2).trim() : m;
    }
}
