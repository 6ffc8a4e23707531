package dev.sluice.stream.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.step.StepException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What cannot run is refused when the pipeline is validated: recursion, reflection, methods without a bound. */
class ExpressionLimitsTest {
    private static final Location AT = new Location("p.yaml", 7, 9);

    private static Expression compile(String source) {
        return Expressions.compile(source, AT, "filter");
    }

    private static Object eval(String source) {
        return compile(source)
                .evaluate(
                        StreamRecord.ofFields(Map.of("page", "/Cart", "agent", "a bot", "tags", List.of("x", "y")), 0));
    }

    @Test
    void shouldRefuseFunctionsOfItsOwnWhichCouldRecurseForever() {
        assertThatThrownBy(() -> compile("(f -> f(f))(f -> f(f))"))
                .isInstanceOf(PipelineException.class)
                .hasMessageStartingWith("p.yaml:7:9: 'filter' has an invalid expression \"(f -> f(f))(f -> f(f))\"");
        assertThatThrownBy(() -> compile("function(x) { x }")).isInstanceOf(PipelineException.class);
    }

    @Test
    void shouldRefuseCallsOutsideTheListNamingTheListAndKeepThoseOnIt() {
        assertThatThrownBy(() -> compile("''.getClass().forName('java.lang.Runtime') == null"))
                .isInstanceOf(PipelineException.class)
                .hasMessageStartingWith("p.yaml:7:9: 'filter': \"''.getClass().forName('java.lang.Runtime') == null\""
                        + " calls .getClass(), which expressions may not. They may call charAt, compareTo, contains,")
                .hasMessageEndingWith("and the fn: functions.");
        assertThatThrownBy(() -> compile("event.page.repeat(1 << 30).length() > 0"))
                .hasMessageContaining("calls .repeat(), which expressions may not");
        assertThatThrownBy(() -> compile("event.page.replace('a', event.page) != ''"))
                .hasMessageContaining("calls .replace(), which");
        assertThat(eval("event.agent.contains('bot') && event.tags.size() == 2"))
                .isEqualTo(true);
        assertThat(eval("event.page.toLowerCase().substring(1)")).isEqualTo("cart");
        assertThat(eval("event.page == 'x.repeat(3)'")).isEqualTo(false); // in a literal: not a call
        assertThat(eval("fn:lower(event.page)")).isEqualTo("/cart");
    }

    @Test
    void shouldStopARegularExpressionThatBacktracksWithoutEndAndMatchTheOthers() {
        StreamRecord evil = StreamRecord.ofFields(Map.of("s", "a".repeat(40) + "!"), 0); // hours unbounded
        assertThatThrownBy(() -> compile("event.s =~ '(.*a){20}'").evaluate(evil))
                .isInstanceOf(StepException.class)
                .hasMessage("expression 'event.s =~ '(.*a){20}'' failed: the regular expression '(.*a){20}' took more"
                        + " than 2000000 steps on a text of 41 characters; write it without nested repetition (such as"
                        + " (.*a){20}) or use contains, startsWith or endsWith");
        assertThat(compile("event.page =~ '/[a-z]+'").evaluate(StreamRecord.ofFields(Map.of("page", "/cart"), 0)))
                .isEqualTo(true);
        assertThat(compile("event.page =~ ['/cart', '/checkout']")
                        .evaluate(StreamRecord.ofFields(Map.of("page", "/cart"), 0)))
                .isEqualTo(true);
    }

    @Test
    void shouldReachNoJavaClassWrittenAnotherWay() {
        for (String sneaky : List.of("event.page.class", "event.page['class']", "event.page.bytes")) {
            Object v;
            try {
                v = eval(sneaky);
            } catch (StepException refused) {
                continue; // an error is fine: the event goes to the dead letters
            }
            assertThat(v).as(sneaky).isNull();
        }
    }

    @Test
    void shouldDescribeASyntaxErrorWithoutNamingSluicesOwnCode() {
        assertThatThrownBy(() -> compile("event.a =="))
                .isInstanceOf(PipelineException.class)
                .hasMessageStartingWith("p.yaml:7:9: 'filter' has an invalid expression \"event.a ==\"")
                .message()
                .doesNotContain("dev.sluice")
                .doesNotContain("Expressions");
    }
}
