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
 * assignments, no object creation, and no access to classes outside a small safe set. So an expression always
 * terminates and cannot touch the process. Missing fields read as null; arithmetic on null and unknown functions are
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
                    .script(false))
            .permissions(JexlPermissions.RESTRICTED.compose("dev.sluice.stream.expr.*", "dev.sluice.stream.json.*"))
            .namespaces(Map.of("fn", new Functions()))
            .strict(true)
            .safe(true)
            .silent(false)
            .cache(512)
            .create();

    private Expressions() {}

    /**
     * @throws PipelineException naming the expression, the problem and where it was written
     */
    public static Expression compile(String source, Location location, String key) {
        if (source == null || source.isBlank()) {
            throw new PipelineException(location, "'" + key + "' needs an expression, such as \"event.amount > 10\".");
        }
        try {
            var compiled = ENGINE.createExpression(source);
            return new Expression(source, compiled, FastPath.compile(source), ENGINE.getArithmetic());
        } catch (JexlException e) {
            throw new PipelineException(
                    location, "'" + key + "' has an invalid expression \"" + source + "\": " + describe(e));
        }
    }

    static String describe(JexlException e) {
        String m = e.getMessage();
        int colon = m == null ? -1 : m.lastIndexOf(": ");
        String detail = colon >= 0 ? m.substring(colon + 2) : String.valueOf(m);
        return detail.replace("\n", " ").trim();
    }
}
