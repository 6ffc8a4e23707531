package dev.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.Connectors;
import dev.sluice.stream.step.Steps;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/pipelines.md documents every step, every connector and every connector setting. */
class DocumentationTest {
    @Test
    void shouldDocumentEveryStepConnectorAndSetting() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "pipelines.md"));
        for (String step : Steps.kinds()) {
            assertThat(doc).as("step " + step).contains("| `" + step + "` |");
        }
        Connectors connectors = Connectors.discover();
        connectors.sources().forEach(s -> {
            assertThat(doc).as("source " + s.type()).contains("| `" + s.type() + "` |");
            for (ConfigKey k : s.keys()) {
                assertThat(doc).as(s.type() + "." + k.name()).contains("`" + k.name() + "`");
            }
        });
        connectors.sinks().forEach(s -> {
            assertThat(doc).as("sink " + s.type()).contains("| `" + s.type() + "` |");
            for (ConfigKey k : s.keys()) {
                assertThat(doc).as(s.type() + "." + k.name()).contains("`" + k.name() + "`");
            }
        });
    }
}
