package dev.sluice.stream.state.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Both stores behave as a sorted map would, for gets, deletes and prefix scans, whatever the operations. */
class KeyValueStoreProperties {
    @Property(tries = 60)
    void shouldActAsASortedMap(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int operations, @ForAll boolean disk) {
        Random random = new Random(seed);
        TreeMap<String, String> model = new TreeMap<>();
        try (KeyValueStore store = disk ? new DiskStore(1) : new MemoryStore()) {
            for (int i = 0; i < operations; i++) {
                String key = "s" + random.nextInt(3) + "\0k" + random.nextInt(40) + "\0m" + random.nextInt(5);
                switch (random.nextInt(4)) {
                    case 0, 1 -> {
                        String value = "v" + i;
                        store.put(key, value.getBytes(StandardCharsets.UTF_8));
                        model.put(key, value);
                    }
                    case 2 -> {
                        store.delete(key);
                        model.remove(key);
                    }
                    default -> assertThat(text(store.get(key))).isEqualTo(model.get(key));
                }
            }
            assertThat(store.size()).isEqualTo(model.size());
            for (int s = 0; s < 3; s++) {
                for (int k = 0; k < 40; k += 7) {
                    String prefix = "s" + s + "\0k" + k + "\0";
                    List<String> got = new ArrayList<>();
                    store.scan(prefix, (key, value) -> got.add(key + "=" + text(value)));
                    List<String> expected = new ArrayList<>();
                    for (Map.Entry<String, String> e :
                            model.tailMap(prefix, true).entrySet()) {
                        if (e.getKey().startsWith(prefix)) {
                            expected.add(e.getKey() + "=" + e.getValue());
                        }
                    }
                    assertThat(got).as("scan of %s", prefix).containsExactlyElementsOf(expected);
                }
            }
        }
    }

    private static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
