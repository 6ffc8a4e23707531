package dev.sluice.app.pipeline;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The state endpoint has no authentication, so it never listens where other machines can reach it. */
class StateServerTest {
    @Test
    void shouldRefuseAnAddressOtherMachinesCanReach() {
        assertThatThrownBy(() -> StateServer.start("0.0.0.0:18081", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--http 0.0.0.0:18081 would let other machines read every stage's counters"
                        + " and state without authentication")
                .hasMessageContaining("it listens on this machine only (--http 18081)");
    }
}
