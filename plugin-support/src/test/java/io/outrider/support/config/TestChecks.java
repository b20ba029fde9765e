package io.outrider.support.config;

import io.outrider.spi.DataSize;
import io.outrider.spi.InvalidConfigException.Problem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestChecks
{
    @Test
    void positiveDurations()
    {
        List<Problem> problems = new ArrayList<>();
        assertThat(Checks.positive(problems, "a", Duration.ofMillis(1))).isTrue();
        assertThat(Checks.positive(problems, "b", Duration.ZERO)).isFalse();
        assertThat(Checks.positive(problems, "c", Duration.ofSeconds(-5))).isFalse();
        assertThat(Checks.positive(problems, "d", Duration.ofMillis(-1500))).isFalse();
        assertThat(Checks.positive(problems, "e", Duration.ofNanos(-1))).isFalse();
        assertThat(problems).containsExactly(
                new Problem("b", "must be positive, not 0s"),
                new Problem("c", "must be positive, not -5s"),
                new Problem("d", "must be positive, not -1500ms"),
                new Problem("e", "must be positive, not PT-0.000000001S"));
    }

    @Test
    void durationRanges()
    {
        List<Problem> problems = new ArrayList<>();
        assertThat(Checks.atLeast(problems, "a", Duration.ZERO, Duration.ZERO)).isTrue();
        assertThat(Checks.atLeast(problems, "b", Duration.ofSeconds(-5), Duration.ZERO)).isFalse();
        assertThat(Checks.between(problems, "c", Duration.ofHours(1), Duration.ofMillis(1), Duration.ofHours(1))).isTrue();
        assertThat(Checks.between(problems, "d", Duration.ofMinutes(90), Duration.ofMillis(1), Duration.ofHours(1))).isFalse();
        assertThat(Checks.between(problems, "e", Duration.ofDays(7), Duration.ofMillis(1), Duration.ofHours(1))).isFalse();
        assertThat(problems).containsExactly(
                new Problem("b", "must be at least 0s, not -5s"),
                new Problem("d", "must be between 1ms and 1h, not 90m"),
                new Problem("e", "must be between 1ms and 1h, not 7d"));
        assertThatThrownBy(() -> Checks.between(new ArrayList<>(), "f", Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("min 2s is greater than max 1s");
    }

    @Test
    void between()
    {
        List<Problem> problems = new ArrayList<>();
        assertThat(Checks.between(problems, "a", 1, 1, 100_000)).isTrue();
        assertThat(Checks.between(problems, "b", 100_000, 1, 100_000)).isTrue();
        assertThat(Checks.between(problems, "c", 0, 1, 100_000)).isFalse();
        assertThat(Checks.between(problems, "d", 100_001, 1, 100_000)).isFalse();
        assertThat(problems).containsExactly(
                new Problem("c", "must be between 1 and 100000, not 0"),
                new Problem("d", "must be between 1 and 100000, not 100001"));
    }

    @Test
    void atLeast()
    {
        List<Problem> problems = new ArrayList<>();
        assertThat(Checks.atLeast(problems, "a", 16, 16)).isTrue();
        assertThat(Checks.atLeast(problems, "b", 8, 16)).isFalse();
        assertThat(problems).containsExactly(new Problem("b", "must be at least 16, not 8"));
    }

    @Test
    void sizesInTheUnitsTheConfigurationUses()
    {
        List<Problem> problems = new ArrayList<>();
        DataSize kib = DataSize.ofBytes(1024);
        DataSize mib16 = DataSize.ofBytes(16L << 20);
        assertThat(Checks.between(problems, "a", kib, kib, mib16)).isTrue();
        assertThat(Checks.between(problems, "b", DataSize.ofBytes(512), kib, mib16)).isFalse();
        assertThat(Checks.between(problems, "c", DataSize.ofBytes(32L << 20), kib, mib16)).isFalse();
        assertThat(Checks.atLeast(problems, "d", DataSize.ofBytes(1000), kib)).isFalse();
        assertThat(Checks.atLeast(problems, "e", mib16, kib)).isTrue();
        assertThat(problems).containsExactly(
                new Problem("b", "must be between 1KiB and 16MiB, not 512B"),
                new Problem("c", "must be between 1KiB and 16MiB, not 32MiB"),
                new Problem("d", "must be at least 1KiB, not 1000B"));
    }

    @Test
    void timeZones()
    {
        List<Problem> problems = new ArrayList<>();
        assertThat(Checks.timeZone(problems, "a", null)).isTrue();
        assertThat(Checks.timeZone(problems, "b", "Europe/Paris")).isTrue();
        assertThat(Checks.timeZone(problems, "c", "+02:00")).isTrue();
        assertThat(Checks.timeZone(problems, "d", "Mars/Olympus")).isFalse();
        assertThat(Checks.timeZone(problems, "e", "not a zone")).isFalse();
        assertThat(problems).containsExactly(
                new Problem("d", "'Mars/Olympus' is not a time zone id; use a region such as Europe/Paris, or UTC, or an offset such as +02:00"),
                new Problem("e", "'not a zone' is not a time zone id; use a region such as Europe/Paris, or UTC, or an offset such as +02:00"));
    }

    @Test
    void anEmptyRangeIsTheCallersMistake()
    {
        assertThatThrownBy(() -> Checks.between(new ArrayList<>(), "a", 1, 2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("min 2 is greater than max 1");
    }
}
