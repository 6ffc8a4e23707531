package dev.sluice.log.internal;

import dev.sluice.log.io.Fsync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small text files replaced atomically (write a temporary file, fsync, rename, fsync the directory), such as the
 * recovery points: one line {@code <topic> <partition> <offset>} per partition.
 */
final class Checkpoints {
    private Checkpoints() {}

    static Map<String, Long> readOffsets(Path file) {
        Map<String, Long> offsets = new HashMap<>();
        if (!Files.exists(file)) {
            return offsets;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 3) {
                    offsets.put(parts[0] + " " + parts[1], Long.parseLong(parts[2]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return new HashMap<>(); // a damaged checkpoint only means more data is re-validated
        }
        return offsets;
    }

    static String key(String topic, int partition) {
        return topic + " " + partition;
    }

    static void write(Path file, List<String> lines) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Fsync.file(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Fsync.directory(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
