package dev.sluice.stream.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The ISO fast path reads what java.time reads, to the nanosecond, and leaves everything else to it. */
class IsoInstantsProperties {

    @Property(tries = 2000)
    void shouldReadInstantsAsJavaTimeDoes(
            @ForAll("instants") Instant instant,
            @ForAll("offsets") ZoneOffset offset,
            @ForAll("fractionDigits") int fractionDigits) {
        OffsetDateTime at = instant.atOffset(offset);
        String fraction = fractionDigits == 0
                ? ""
                : "." + String.format("%09d", at.getNano()).substring(0, fractionDigits);
        String text = at.toLocalDateTime().withNano(0)
                + (at.getSecond() == 0 ? ":00" : "")
                + fraction
                + (offset.equals(ZoneOffset.UTC) ? "Z" : offset.getId());
        assertThat(IsoInstants.parse(text))
                .as(text)
                .isEqualTo(OffsetDateTime.parse(text).toInstant());
        String local = text.substring(0, text.length() - (offset.equals(ZoneOffset.UTC) ? 1 : 6));
        assertThat(IsoInstants.parse(local))
                .as(local)
                .isEqualTo(LocalDateTime.parse(local).toInstant(ZoneOffset.UTC));
    }

    @Property(tries = 2000)
    void shouldNeverAcceptWhatJavaTimeRefuses(@ForAll("nearlyIso") String text) {
        Instant fast = IsoInstants.parse(text);
        if (fast == null) {
            return;
        }
        Instant slow;
        try {
            slow = OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException e) {
            slow = LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        }
        assertThat(fast).as(text).isEqualTo(slow);
    }

    @Test
    void shouldLeaveOtherFormsAndInvalidDatesToTheGeneralParser() {
        for (String other : new String[] {
            "2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T10:00Z",
            "2026-11-25T10:00:00.Z", "2026-11-25T10:00:00+0100", "2026-11-25T10:00:00+01:00:30", "2026-11-25",
            "Tue, 3 Jun 2008 11:05:30 GMT", "2026-11-25T10:00:00.1234567890Z", "2026-11-25T10:00:00ZZ"
        }) {
            assertThat(IsoInstants.parse(other)).as(other).isNull();
        }
        assertThat(Timestamps.parse("2026-11-25T10:00:00+01:00:30"))
                .isEqualTo(OffsetDateTime.parse("2026-11-25T10:00:00+01:00:30").toInstant());
        assertThat(Timestamps.parse("2026-11-25 10:00:00.250")).isEqualTo(Instant.parse("2026-11-25T10:00:00.250Z"));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs()
                .between(
                        Instant.parse("0001-01-02T00:00:00Z").getEpochSecond(),
                        Instant.parse("9998-12-30T23:59:59Z").getEpochSecond())
                .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
    }

    @Provide
    Arbitrary<ZoneOffset> offsets() {
        return Arbitraries.integers().between(-18 * 60, 18 * 60).map(m -> ZoneOffset.ofTotalSeconds(m * 60));
    }

    @Provide
    Arbitrary<Integer> fractionDigits() {
        return Arbitraries.integers().between(0, 9);
    }

    /** A valid timestamp with one character replaced, inserted or removed. */
    @Provide
    Arbitrary<String> nearlyIso() {
        Arbitrary<String> valid = Arbitraries.of(
                "2024-02-29T23:59:59.999+14:00",
                "2026-11-25T10:00:00Z",
                "1999-12-31 23:59:59.123456789",
                "2026-04-30T00:00:00-05:30",
                "2026-11-25T10:00:00.5");
        Arbitrary<Character> chars = Arbitraries.chars().with("0123456789-:T .Z+z");
        return Combinators.combine(
                        valid,
                        Arbitraries.integers().between(0, 40),
                        chars,
                        Arbitraries.integers().between(0, 2))
                .as((text, at, c, edit) -> {
                    int i = Math.min(at, text.length() - 1);
                    return switch (edit) {
                        case 0 -> text.substring(0, i) + c + text.substring(i + 1);
                        case 1 -> text.substring(0, i) + c + text.substring(i);
                        default -> text.substring(0, i) + text.substring(i + 1);
                    };
                });
    }
}
