package dev.sluice.stream.yaml;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stream.spec.PipelineException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not pipelines at all. */
class PipelineFileTest {
    @TempDir
    Path dir;

    @Test
    void shouldSayABinaryFileIsNotAPipeline() throws Exception {
        Path garbage = Files.write(dir.resolve("p.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0x80});
        assertThatThrownBy(() -> PipelineYaml.load(garbage))
                .isInstanceOf(PipelineException.class)
                .hasMessage("Pipeline file " + garbage + " is not text in UTF-8 (it holds bytes that are not); a"
                        + " pipeline is a YAML file. Check the path, or save the file as UTF-8.");
    }

    @Test
    void shouldNameAMissingFile() {
        assertThatThrownBy(() -> PipelineYaml.load(dir.resolve("nope.yaml")))
                .hasMessage("Pipeline file " + dir.resolve("nope.yaml") + " does not exist.");
    }
}
