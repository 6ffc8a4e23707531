package dev.sluice.log.config;

import java.util.Locale;

/** Parses human durations into milliseconds: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 12h}, {@code 7d}, or a plain number of milliseconds. */
public final class Durations {
    private Durations() {}

    /**
     * @throws IllegalArgumentException with a message that shows the accepted forms
     */
    public static long parseMillis(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Long.parseLong(s.substring(0, s.length() - 2).trim());
            }
            long unit = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
                case 's' -> 1_000L;
                case 'm' -> 60_000L;
                case 'h' -> 3_600_000L;
                case 'd' -> 86_400_000L;
                case 'w' -> 7 * 86_400_000L;
                default -> 0L;
            };
            if (unit == 0) {
                return Long.parseLong(s);
            }
            return Math.multiplyExact(
                    Long.parseLong(s.substring(0, s.length() - 1).trim()), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use a number of milliseconds or a"
                    + " number with a unit, e.g. 500ms, 10s, 5m, 12h, 7d");
        }
    }

    /** The shortest exact human form: 604800000 becomes {@code 7d}. */
    public static String format(long millis) {
        if (millis <= 0) {
            return Long.toString(millis);
        }
        long[] units = {7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"w", "d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (millis % units[i] == 0) {
                return millis / units[i] + names[i];
            }
        }
        return millis + "ms";
    }
}
