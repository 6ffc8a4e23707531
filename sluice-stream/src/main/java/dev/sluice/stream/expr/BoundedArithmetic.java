package dev.sluice.stream.expr;

import java.math.MathContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.commons.jexl3.JexlArithmetic;

/**
 * JEXL's arithmetic with a bound on the one operator whose cost an expression's text does not bound: {@code =~} with
 * a regular expression, which can backtrack exponentially on some input ({@code (.*a){20}} on forty a's). A match may read
 * its text at most {@value #MAX_READS} times (milliseconds); past that the evaluation fails and the event goes to the
 * dead letters with the reason. Counting reads, not time, gives the same answer on a busy machine.
 */
final class BoundedArithmetic extends JexlArithmetic {
    static final int MAX_READS = 2_000_000;
    private static final int MAX_PATTERNS = 256;
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    BoundedArithmetic(boolean strict) {
        super(strict);
    }

    BoundedArithmetic(boolean strict, MathContext context, int scale) {
        super(strict, context, scale);
    }

    @Override
    protected JexlArithmetic createWithOptions(boolean strict, MathContext context, int scale) {
        return new BoundedArithmetic(strict, context, scale);
    }

    /** {@code value =~ container}: a regular expression as JEXL matches it (the whole text), with the bound. */
    @Override
    public Boolean contains(Object container, Object value) {
        if (value != null && (container instanceof CharSequence || container instanceof Pattern)) {
            Pattern pattern = container instanceof Pattern p ? p : compiled(container.toString());
            return pattern.matcher(new CountedReads(value.toString(), pattern.pattern()))
                    .matches();
        }
        return super.contains(container, value);
    }

    private static Pattern compiled(String regex) {
        Pattern p = PATTERNS.get(regex);
        if (p == null) {
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "'" + regex + "' is not a regular expression: " + e.getDescription());
            }
            if (PATTERNS.size() < MAX_PATTERNS) {
                PATTERNS.put(regex, p);
            }
        }
        return p;
    }

    /** A match that ran out of its reads. */
    static final class TooManySteps extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManySteps(String message) {
            super(message, null, false, false);
        }
    }

    /** The text a match reads, counting its reads. */
    private static final class CountedReads implements CharSequence {
        private final String text;
        private final String regex;
        private int reads;

        CountedReads(String text, String regex) {
            this.text = text;
            this.regex = regex;
        }

        @Override
        public char charAt(int index) {
            if (++reads > MAX_READS) {
                throw new TooManySteps("the regular expression '" + regex + "' took more than " + MAX_READS
                        + " steps on a text of " + text.length() + " characters; write it without nested repetition"
                        + " (such as (.*a){20}) or use contains, startsWith or endsWith");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
