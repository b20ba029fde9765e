package io.outrider.support.syslog;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class TestClassicTimestamps
{
    private static long at(String instant)
    {
        return Instant.parse(instant).getEpochSecond();
    }

    @Test
    void theYearOfTheReferenceWhenThatIsNotInTheFuture()
    {
        ClassicTimestamps timestamps = new ClassicTimestamps(null, ZoneOffset.UTC);
        assertThat(timestamps.toEpochSecond(11, 22, 14, 3, 7, at("2026-11-23T10:00:00Z"))).isEqualTo(at("2026-11-22T14:03:07Z"));
        // a day of clock skew is tolerated
        assertThat(timestamps.toEpochSecond(11, 24, 9, 0, 0, at("2026-11-23T10:00:00Z"))).isEqualTo(at("2026-11-24T09:00:00Z"));
        // an older log read today: December was last year
        assertThat(timestamps.toEpochSecond(12, 10, 6, 55, 46, at("2026-11-23T10:00:00Z"))).isEqualTo(at("2025-12-10T06:55:46Z"));
    }

    @Test
    void newYearInBothDirections()
    {
        ClassicTimestamps timestamps = new ClassicTimestamps(null, ZoneOffset.UTC);
        assertThat(timestamps.toEpochSecond(12, 31, 23, 59, 59, at("2027-01-01T00:00:03Z"))).isEqualTo(at("2026-12-31T23:59:59Z"));
        assertThat(timestamps.toEpochSecond(1, 1, 0, 0, 1, at("2026-12-31T23:59:58Z"))).isEqualTo(at("2027-01-01T00:00:01Z"));
    }

    @Test
    void february29FindsItsLeapYear()
    {
        ClassicTimestamps timestamps = new ClassicTimestamps(null, ZoneOffset.UTC);
        assertThat(timestamps.toEpochSecond(2, 29, 12, 0, 0, at("2026-11-23T10:00:00Z"))).isEqualTo(at("2024-02-29T12:00:00Z"));
        ClassicTimestamps fixed = new ClassicTimestamps(2025, ZoneOffset.UTC);
        assertThat(fixed.toEpochSecond(2, 29, 12, 0, 0, at("2026-11-23T10:00:00Z"))).isEqualTo(ClassicTimestamps.UNRESOLVED);
    }

    @Test
    void localTimeInTheZoneIncludingDaylightSavingTransitions()
    {
        ClassicTimestamps paris = new ClassicTimestamps(2026, ZoneId.of("Europe/Paris"));
        assertThat(paris.toEpochSecond(1, 15, 12, 0, 0, 0)).isEqualTo(at("2026-01-15T11:00:00Z"));
        assertThat(paris.toEpochSecond(7, 15, 12, 0, 0, 0)).isEqualTo(at("2026-07-15T10:00:00Z"));
        // 2026-03-29 02:30 does not exist in Paris: the offset before the gap applies
        assertThat(paris.toEpochSecond(3, 29, 2, 30, 0, 0)).isEqualTo(at("2026-03-29T01:30:00Z"));
        // 2026-10-25 02:30 happens twice: the earlier one
        assertThat(paris.toEpochSecond(10, 25, 2, 30, 0, 0)).isEqualTo(at("2026-10-25T00:30:00Z"));
    }

    @Test
    void epochDayAgreesWithTheJdk()
    {
        for (LocalDate date = LocalDate.of(1968, 1, 1); date.isBefore(LocalDate.of(2032, 1, 1)); date = date.plusDays(13)) {
            assertThat(ClassicTimestamps.epochDay(date.getYear(), date.getMonthValue(), date.getDayOfMonth())).isEqualTo(date.toEpochDay());
        }
    }
}
