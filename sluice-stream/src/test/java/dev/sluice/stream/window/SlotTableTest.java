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
    void shouldShiftBackAcrossTheEndOfTheArrayWhenAKeyIsRemoved() {
        // capacity 8: two keys whose home is the last cell (7 and, wrapping, 0) and one whose home is 0 (then 1);
        // removing the first moves the second back to 7 and the third back to 0
        SlotTable<String> table = new SlotTable<>(4);
        Colliding a = new Colliding(1, hashWithHome(7, 8));
        Colliding b = new Colliding(2, a.hash());
        Colliding c = new Colliding(3, hashWithHome(0, 8));
        table.put(a, "a");
        table.put(b, "b");
        table.put(c, "c");
        assertThat(table.remove(a)).isEqualTo("a");
        assertThat(table.get(b)).isEqualTo("b");
        assertThat(table.get(c)).isEqualTo("c");
        assertThat(table.remove(b)).isEqualTo("b");
        assertThat(table.get(c)).isEqualTo("c");
        assertThat(table.size()).isEqualTo(1);
    }

    /** A hash code whose home cell in a table of {@code capacity} is {@code home}. */
    private static int hashWithHome(int home, int capacity) {
        for (int h = 0; ; h++) {
            if ((SlotTable.hash(new Colliding(0, h)) & (capacity - 1)) == home) {
                return h;
            }
        }
    }

    @Test
    void shouldMoveToAHashMapWhenManyKeysShareAHash() {
        SlotTable<Integer> table = new SlotTable<>(16);
        List<String> colliding = sameHashStrings(8); // 2^8 strings of "Aa" and "BB" blocks: one hash code
        for (int i = 0; i < colliding.size(); i++) {
            table.put(colliding.get(i), i);
        }
        assertThat(table.inHashMap()).isTrue();
        table.put("other", -1);
        assertThat(table.size()).isEqualTo(colliding.size() + 1);
        for (int i = 0; i < colliding.size(); i++) {
            assertThat(table.get(colliding.get(i))).isEqualTo(i);
        }
        assertThat(table.remove(colliding.get(0))).isZero();
        assertThat(table.get("other")).isEqualTo(-1);
        List<Integer> all = new ArrayList<>();
        table.forEach(all::add);
        assertThat(all).hasSize(colliding.size());
    }

    @Test
    void shouldRefuseToIterateOnAfterAChange() {
        SlotTable<Integer> table = new SlotTable<>(16);
        table.put("a", 1);
        table.put("b", 2);
        java.util.Iterator<Integer> it = table.iterator();
        it.next();
        table.put("c", 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(it::next)
                .isInstanceOf(java.util.ConcurrentModificationException.class);
    }

    private static List<String> sameHashStrings(int blocks) {
        List<String> out = new ArrayList<>(List.of(""));
        for (int b = 0; b < blocks; b++) {
            List<String> longer = new ArrayList<>();
            for (String s : out) {
                longer.add(s + "Aa");
                longer.add(s + "BB");
            }
            out = longer;
        }
        return out;
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
