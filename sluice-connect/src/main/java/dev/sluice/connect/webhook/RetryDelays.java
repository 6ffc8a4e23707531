package dev.sluice.connect.webhook;

import dev.sluice.stream.connector.Backoff;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.LongSupplier;

/**
 * How long to wait before trying a request again: what the server asked for in {@code Retry-After} (seconds, or an
 * HTTP date), at most {@code maxMs}; else the {@link Backoff} from {@code firstMs}, doubled after each failure, with
 * jitter (so that tasks that failed together do not all come back together), at most {@code maxMs}.
 */
final class RetryDelays {
    private final Backoff backoff;
    private final long maxMs;
    private final LongSupplier clock;

    RetryDelays(long firstMs, long maxMs) {
        this(firstMs, maxMs, System::currentTimeMillis);
    }

    RetryDelays(long firstMs, long maxMs, LongSupplier clock) {
        this.backoff = new Backoff(firstMs, maxMs);
        this.maxMs = maxMs;
        this.clock = clock;
    }

    /** The wait after the {@code attempt}-th try failed (from 1), given the answer's Retry-After header or null. */
    long after(int attempt, String retryAfter) {
        long asked = retryAfter == null ? -1 : parse(retryAfter.strip());
        if (asked >= 0) {
            return Math.min(asked, maxMs);
        }
        return backoff.delayMs(attempt - 1);
    }

    /** Milliseconds from now that a Retry-After value asks for, or -1 if it is neither seconds nor an HTTP date. */
    private long parse(String value) {
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
            return value.length() > 9 ? maxMs : Long.parseLong(value) * 1000;
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            return Math.max(0, at.toEpochMilli() - clock.getAsLong());
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
