package io.outrider.plugin.file;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TestSafetyScanInterval
{
    @Test
    void doublesWhileScansFindNothingMissedUpToTenTimesTheScanInterval()
    {
        SafetyScanInterval interval = new SafetyScanInterval(Duration.ofSeconds(60));
        assertThat(interval.nanos()).isEqualTo(Duration.ofSeconds(60).toNanos());

        long[] seconds = new long[6];
        for (int i = 0; i < seconds.length; i++) {
            interval.scanned(false);
            seconds[i] = Duration.ofNanos(interval.nanos()).toSeconds();
        }

        assertThat(seconds).containsExactly(120, 240, 480, 600, 600, 600);
    }

    @Test
    void aScanThatFoundWhatNotificationsMissedGoesBackToTheScanInterval()
    {
        SafetyScanInterval interval = new SafetyScanInterval(Duration.ofSeconds(60));
        interval.scanned(false);
        interval.scanned(false);

        interval.scanned(true);
        assertThat(Duration.ofNanos(interval.nanos())).isEqualTo(Duration.ofSeconds(60));
        interval.scanned(true);
        assertThat(Duration.ofNanos(interval.nanos())).isEqualTo(Duration.ofSeconds(60));
        interval.scanned(false);
        assertThat(Duration.ofNanos(interval.nanos())).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void aScanIntervalTooLongToMultiplyStaysWhatItIs()
    {
        SafetyScanInterval interval = new SafetyScanInterval(Duration.ofNanos(Long.MAX_VALUE / 4));

        interval.scanned(false);
        interval.scanned(false);
        interval.scanned(false);

        assertThat(interval.nanos()).isEqualTo(Long.MAX_VALUE);
    }
}
