package dev.sluice.connect.file;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Eight bytes at a time finds the same newline as one byte at a time, whatever the bytes around it. */
class NewlinesProperties {

    @Property(tries = 3000)
    void shouldFindTheFirstNewlineAsAByteLoopDoes(@ForAll("bytes") byte[] bytes, @ForAll("cut") int cut) {
        int from = Math.min(cut, bytes.length);
        int expected = -1;
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                expected = i;
                break;
            }
        }
        assertThat(Newlines.next(bytes, from, bytes.length)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.oneOf(
                        Arbitraries.bytes(),
                        Arbitraries.of((byte) '\n', (byte) 0x0b, (byte) 0x09, (byte) 0x8a, (byte) 0x0a0, (byte) 0))
                .array(byte[].class)
                .ofMaxSize(40);
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(0, 12);
    }
}
