package dev.sluice.stream.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses aggregation calls: {@code count()}, {@code sum(f)}, {@code min(f)}, {@code max(f)}, {@code avg(f)}, {@code
 * count_distinct(f)}, {@code approx_count_distinct(f)}, {@code percentile(f, 99)}, {@code first(f)}, {@code last(f)},
 * {@code top(f, 3)}.
 */
public final class Aggregations {
    private static final Pattern CALL = Pattern.compile("\\s*([a-z_]+)\\s*\\(\\s*([^)]*?)\\s*\\)\\s*");
    public static final List<String> FUNCTIONS = List.of(
            "count",
            "sum",
            "min",
            "max",
            "avg",
            "count_distinct",
            "approx_count_distinct",
            "percentile",
            "first",
            "last",
            "top");

    private Aggregations() {}

    /** " Did you mean 'count'?" for a function a few edits from a known one, else "". */
    private static String suggestion(String function) {
        return FUNCTIONS.stream()
                .filter(f -> dev.sluice.log.config.Levenshtein.distance(f, function) <= 2)
                .findFirst()
                .map(f -> " Did you mean '" + f + "'?")
                .orElse("");
    }

    /**
     * @throws IllegalArgumentException naming what is wrong with the call and how it is written
     */
    public static Aggregation parse(String output, String call) {
        Matcher m = CALL.matcher(call);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + output + ": " + call + "' is not an aggregation; write it as"
                    + " function(field), such as count(), sum(amount) or percentile(latency, 99)");
        }
        String function = m.group(1).toLowerCase(Locale.ROOT);
        List<String> args = new ArrayList<>();
        for (String a : m.group(2).split(",")) {
            if (!a.isBlank()) {
                args.add(a.trim());
            }
        }
        String field = args.isEmpty() ? null : args.get(0);
        Supplier<Accumulator> accumulators = switch (function) {
            case "count" -> {
                arity(function, args, 0, 1, "count() or count(field)");
                yield Accumulators.Count::new;
            }
            case "sum" -> one(function, args, Accumulators.Sum::new);
            case "min" -> one(function, args, () -> new Accumulators.Extreme(true));
            case "max" -> one(function, args, () -> new Accumulators.Extreme(false));
            case "avg" -> one(function, args, Accumulators.Avg::new);
            case "count_distinct" -> one(function, args, Accumulators.Distinct::new);
            case "approx_count_distinct" -> one(function, args, Accumulators.ApproxDistinct::new);
            case "first" -> one(function, args, () -> new Accumulators.FirstLast(true));
            case "last" -> one(function, args, () -> new Accumulators.FirstLast(false));
            case "percentile" -> {
                arity(function, args, 2, 2, "percentile(field, 99)");
                double p = number(args.get(1), output, call);
                if (p < 0 || p > 100) {
                    throw new IllegalArgumentException(
                            "'" + output + ": " + call + "': the percentile is from 0 to 100, got " + p);
                }
                yield () -> new Accumulators.Percentile(p / 100);
            }
            case "top" -> {
                arity(function, args, 2, 2, "top(field, 3)");
                double n = number(args.get(1), output, call);
                if (n < 1 || n != Math.rint(n)) {
                    throw new IllegalArgumentException(
                            "'" + output + ": " + call + "': top takes a whole number of values, such as 3");
                }
                yield () -> new Accumulators.Top((int) n);
            }
            default ->
                throw new IllegalArgumentException("unknown aggregation '" + function + "' in '" + output + ": " + call
                        + "'." + suggestion(function) + " Aggregations: " + String.join(", ", FUNCTIONS));
        };
        return new Aggregation(output, field, call.trim(), accumulators);
    }

    private static Supplier<Accumulator> one(String function, List<String> args, Supplier<Accumulator> s) {
        arity(function, args, 1, 1, function + "(field)");
        return s;
    }

    private static void arity(String function, List<String> args, int min, int max, String form) {
        if (args.size() < min || args.size() > max) {
            throw new IllegalArgumentException(function + " takes " + (min == max ? min : min + " or " + max)
                    + " argument" + (max == 1 ? "" : "s") + ", got " + args.size() + ": write " + form);
        }
    }

    private static double number(String text, String output, String call) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + output + ": " + call + "': '" + text + "' is not a number");
        }
    }
}
