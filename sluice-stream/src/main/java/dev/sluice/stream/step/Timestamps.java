package dev.sluice.stream.step;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Reads a timestamp in any common form: epoch milliseconds or seconds (number or digits), ISO-8601 with or without an
 * offset (no offset means UTC), {@code yyyy-MM-dd HH:mm:ss[.SSS]}, a bare date, or RFC 1123. Thread-safe.
 */
public final class Timestamps {
    private static final DateTimeFormatter SPACE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]");
    private static final List<DateTimeFormatter> ZONED = List.of(DateTimeFormatter.RFC_1123_DATE_TIME);

    private Timestamps() {}

    /**
     * @throws StepException if the value is not a timestamp in any supported form
     */
    public static Instant parse(Object value) {
        if (value instanceof Number n) {
            return fromEpoch(n.longValue());
        }
        if (value == null) {
            throw new StepException("no timestamp (the field is missing or null)");
        }
        String s = value.toString().trim();
        if (isEpochDigits(s)) {
            return fromEpoch(Long.parseLong(s));
        }
        Instant iso = IsoInstants.parse(s);
        if (iso != null) {
            return iso;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDateTime.parse(s, SPACE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // next form
        }
        for (DateTimeFormatter f : ZONED) {
            try {
                return ZonedDateTime.parse(s, f).toInstant();
            } catch (DateTimeParseException e) {
                // next form
            }
        }
        throw new StepException("'" + s + "' is not a timestamp: use epoch milliseconds or seconds, ISO-8601"
                + " (2026-11-25T13:45:00Z), 'yyyy-MM-dd HH:mm:ss' or RFC 1123");
    }

    private static boolean isEpochDigits(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        int digits = s.length() - start;
        if (digits < 1 || digits > 19) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Numbers below 10^11 are taken as epoch seconds (until the year 5138), others as milliseconds. */
    private static Instant fromEpoch(long v) {
        return Math.abs(v) < 100_000_000_000L ? Instant.ofEpochSecond(v) : Instant.ofEpochMilli(v);
    }
}
