package dev.sluice.connect.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryDelaysTest {
    /** 2026-11-26T10:00:00Z. */
    private static final long NOW = 1_795_687_200_000L;

    private final RetryDelays delays = new RetryDelays(500, 30_000, () -> NOW);

    @Test
    void shouldDoubleTheBackoffWithJitterUpToTheMaximum() {
        for (int attempt = 1; attempt <= 8; attempt++) { // the jitter of Backoff: half to all of it
            long full = Math.min(30_000, 500L << (attempt - 1));
            assertThat(delays.after(attempt, null)).as("attempt " + attempt).isBetween(full / 2, full);
        }
        assertThat(delays.after(200, null)).isBetween(15_000L, 30_000L);
    }

    @Test
    void shouldWaitWhatRetryAfterAsksUpToTheMaximum() {
        assertThat(delays.after(1, "7")).isEqualTo(7_000);
        assertThat(delays.after(1, " 0 ")).isZero();
        assertThat(delays.after(1, "3600")).as("capped").isEqualTo(30_000);
        assertThat(delays.after(1, "99999999999999999999")).isEqualTo(30_000);
        assertThat(delays.after(1, "Thu, 26 Nov 2026 10:00:12 GMT")).isEqualTo(12_000);
        assertThat(delays.after(1, "Thu, 26 Nov 2026 09:00:00 GMT"))
                .as("in the past")
                .isZero();
        assertThat(delays.after(3, "soon")).as("not understood: backoff").isBetween(1_000L, 2_000L);
    }
}
