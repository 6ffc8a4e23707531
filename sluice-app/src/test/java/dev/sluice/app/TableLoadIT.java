package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, point 5: in {@code examples/orders-and-payments.yaml} a generator fills the users table while orders
 * start at once; a table that a source of the same pipeline writes is loaded only after that source has published
 * what it had, so the very first orders find their user.
 */
class TableLoadIT {
    @TempDir
    Path dir;

    @Test
    void shouldJoinTheFirstOrdersWithTheUsersTheirPipelineLoads() throws Exception {
        // the example as it is, but with 300 orders and payments, so that it can run as a bounded job
        String example = Files.readString(Path.of("..", "examples", "orders-and-payments.yaml"));
        Files.writeString(dir.resolve("orders.yaml"), example.replace("rate: 500/s", "rate: 500/s\n    count: 300"));
        Process p = SluiceProcess.start(
                dir, null, "run", "orders.yaml", "--data-dir", "data", "--until-done", "--quiet", "--timeout", "2m");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(rows("SELECT count(*) FROM paid_orders"))
                .as("every order, paid or not")
                .isEqualTo(300);
        assertThat(rows("SELECT count(*) FROM paid_orders WHERE user_country IS NULL"))
                .as("orders joined before their users were loaded")
                .isZero();
    }

    private long rows(String query) {
        CliRun run = CliRun.of("sql", dir.resolve("out/orders.duckdb").toString(), query, "--json");
        assertThat(run.code()).as(run.err()).isZero();
        return Long.parseLong(run.out().replaceAll("[^0-9]", ""));
    }
}
