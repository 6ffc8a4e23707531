package dev.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.log.config.TopicSetting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/log.md documents every topic setting with its real default. */
class DocumentationTest {
    @Test
    void shouldDocumentEveryTopicSettingWithItsDefault() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "log.md"));
        for (TopicSetting s : TopicSetting.values()) {
            assertThat(doc).as(s.key()).contains("| `" + s.key() + "` | " + s.defaultValue() + " |");
        }
    }
}
