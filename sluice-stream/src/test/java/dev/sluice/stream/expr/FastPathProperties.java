package dev.sluice.stream.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.spec.Location;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The fast path gives exactly JEXL's answers: the same value of the same type, or an error where JEXL has one. */
class FastPathProperties {

    @Property(tries = 3000)
    void shouldAgreeWithJexl(@ForAll("expressions") String source, @ForAll("events") Map<String, Object> fields) {
        Expression e = Expressions.compile(source, Location.DSL, "test");
        StreamRecord r = StreamRecord.ofFields(fields, 1_000);
        Object expected;
        try {
            expected = e.evaluateWithJexl(r);
        } catch (RuntimeException jexlError) {
            expected = jexlError.getClass();
        }
        Object actual;
        try {
            actual = e.evaluate(r);
        } catch (RuntimeException error) {
            actual = error.getClass();
        }
        assertThat(actual).as(source + " on " + fields).isEqualTo(expected);
        if (actual != null && !(actual instanceof Class)) {
            assertThat(actual.getClass()).as(source + " on " + fields).isEqualTo(expected.getClass());
        }
    }

    @Test
    void shouldTakeTheFastPathForTheCommonShapesOnly() {
        for (String fast : List.of(
                "event.agent != 'bot'",
                "event.amount * 100",
                "event.a.b >= 3 && !(event.c == null)",
                "event.x + 1 > event.y - 2.5 || key == 'k'",
                "!event.agent.contains('bot')",
                "event.page.startsWith('/p/') && event.page.endsWith(event.suffix)",
                "timestamp > 5")) {
            assertThat(Expressions.compile(fast, Location.DSL, "t").isFast())
                    .as(fast)
                    .isTrue();
        }
        for (String slow : List.of(
                "fn:lower(event.a)",
                "event.a =~ ['x', 'y']",
                "event.a ? 1 : 2",
                "event.list.size()",
                "event.s.contains('a').x",
                "event.s.toLowerCase() == 'a'",
                "event['a']",
                "empty(event.a)",
                "event.a eq 1",
                "'a\\'b' == event.a",
                "1e3 > event.a")) {
            assertThat(Expressions.compile(slow, Location.DSL, "t").isFast())
                    .as(slow)
                    .isFalse();
        }
    }

    @Provide
    Arbitrary<String> expressions() {
        Arbitrary<String> operand = Arbitraries.of(
                "event.i",
                "event.d",
                "event.s",
                "event.n",
                "event.m.i",
                "event.m.s",
                "event.missing",
                "event.l",
                "1",
                "0",
                "2.5",
                "100",
                "'x'",
                "'1'",
                "''",
                "true",
                "false",
                "null",
                "key",
                "timestamp");
        Arbitrary<String> arith = Combinators.combine(operand, Arbitraries.of("+", "-", "*", "/", "%"), operand)
                .as((a, op, b) -> a + " " + op + " " + b);
        Arbitrary<String> call = Combinators.combine(
                        Arbitraries.of("event.s", "event.m.s", "event.i", "event.missing", "key"),
                        Arbitraries.of("contains", "startsWith", "endsWith"),
                        Arbitraries.of("'x'", "'o'", "''", "event.s", "1", "null"))
                .as((receiver, method, arg) -> receiver + "." + method + "(" + arg + ")");
        Arbitrary<String> term = Arbitraries.oneOf(operand, arith, operand.map(o -> "-" + o), call);
        Arbitrary<String> cmp = Combinators.combine(term, Arbitraries.of("==", "!=", "<", "<=", ">", ">="), term)
                .as((a, op, b) -> a + " " + op + " " + b);
        Arbitrary<String> logic = Combinators.combine(cmp, Arbitraries.of("&&", "||", "and", "or"), cmp)
                .as((a, op, b) -> "(" + a + ") " + op + " " + b);
        return Arbitraries.oneOf(term, cmp, logic, cmp.map(c -> "!(" + c + ")"), logic.map(l -> "not (" + l + ")"));
    }

    @Provide
    Arbitrary<Map<String, Object>> events() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.integers().between(-5, 5).map(i -> (Object) i),
                Arbitraries.longs().between(3_000_000_000L, 3_000_000_005L).map(l -> (Object) l),
                Arbitraries.doubles().between(-3, 3).ofScale(2).map(d -> (Object) d),
                Arbitraries.of("x", "1", "", "bot").map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        return Combinators.combine(scalar, scalar, scalar, scalar, scalar, scalar)
                .as((i, d, s, n, mi, ms) -> {
                    Map<String, Object> m = new HashMap<>();
                    m.put("i", i);
                    m.put("d", d);
                    m.put("s", s);
                    m.put("n", n);
                    Map<String, Object> nested = new HashMap<>();
                    nested.put("i", mi);
                    nested.put("s", ms);
                    m.put("m", nested);
                    m.put("l", List.of(1, 2));
                    return m;
                });
    }
}
