package dev.sluice.stream.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The window's key table answers as a HashMap does, through growth, removals and colliding hashes. */
class SlotTableTest {
    /** A key whose hash is chosen, so that many collide. */
    private record Colliding(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    @Test
    void shouldAnswerAsAHashMapDoesUnderRandomPutsAndRemoves() {
        Random random = new Random(11);
        for (int round = 0; round < 50; round++) {
            SlotTable<String> table = new SlotTable<>(random.nextInt(40));
            Map<Object, String> reference = new HashMap<>();
            int keys = 1 + random.nextInt(2_000);
            int hashes = 1 + random.nextInt(64); // few distinct hashes: long probe runs, removals that must shift
            for (int op = 0; op < 20_000; op++) {
                Object key = random.nextInt(10) == 0
                        ? (Object) null
                        : new Colliding(random.nextInt(keys), random.nextInt(hashes));
                if (key instanceof Colliding c) {
                    key = new Colliding(c.id(), c.id() % hashes); // the same id has the same hash
                }
                switch (random.nextInt(3)) {
                    case 0 -> {
                        String v = "v" + op;
                        table.put(key, v);
                        reference.put(key, v);
                    }
                    case 1 -> assertThat(table.remove(key)).isEqualTo(reference.remove(key));
                    default -> assertThat(table.get(key)).isEqualTo(reference.get(key));
                }
                assertThat(table.size()).isEqualTo(reference.size());
            }
            List<String> iterated = new ArrayList<>();
            table.forEach(iterated::add);
            assertThat(iterated).containsExactlyInAnyOrderElementsOf(reference.values());
            for (Object key : new ArrayList<>(reference.keySet())) {
                assertThat(table.get(key)).isEqualTo(reference.get(key));
            }
        }
    }

    @Test
    void shouldHoldAMillionKeysAndForgetThemAll() {
        SlotTable<Integer> table = new SlotTable<>(16);
        for (int i = 0; i < 1_000_000; i++) {
            table.put("user-" + i, i);
        }
        assertThat(table.size()).isEqualTo(1_000_000);
        assertThat(table.get("user-999999")).isEqualTo(999_999);
        assertThat(table.get("user-1000000")).isNull();
        for (int i = 0; i < 1_000_000; i++) {
            assertThat(table.remove("user-" + i)).isEqualTo(i);
        }
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.iterator().hasNext()).isFalse();
    }
}
