package dev.sluice.log.config;

import java.util.Locale;

/**
 * Parses human byte sizes: {@code 1048576}, {@code 64k}, {@code 512MB}, {@code 1GiB}. Units are binary (k = 1024), as
 * for every size setting in Sluice.
 */
public final class ByteSizes {
    private ByteSizes() {}

    /**
     * @throws IllegalArgumentException with a message that shows the accepted forms
     */
    public static long parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        try {
            if (s.isEmpty()) {
                throw new NumberFormatException();
            }
            long unit = switch (s.charAt(s.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                case 't' -> 1L << 40;
                default -> 1L;
            };
            String digits = unit == 1 ? s : s.substring(0, s.length() - 1).trim();
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size: use a number of bytes or a number with a"
                    + " unit, e.g. 64k, 512MB, 1GiB");
        }
    }

    /** The shortest exact human form: 1073741824 becomes {@code 1GiB}. */
    public static String format(long bytes) {
        if (bytes <= 0) {
            return Long.toString(bytes);
        }
        String[] names = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < names.length; i++) {
            long unit = 1L << (40 - 10 * i);
            if (bytes % unit == 0) {
                return bytes / unit + names[i];
            }
        }
        return Long.toString(bytes);
    }
}
