package io.outrider.plugin.syslog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-computed header timestamps against {@link DateTimeFormatter}, over the whole range of four-digit years. */
class TestTimestampText
{
    private static final DateTimeFormatter RFC5424 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3164 = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void writesWhatTheFormatterWritesForEverySecondOfFourDigitYears()
    {
        List<Long> seconds = new ArrayList<>();
        for (String edge : List.of("0000-01-01T00:00:00Z", "0000-02-29T12:00:00Z", "0000-03-01T00:00:00Z", "0000-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
                "0099-12-31T23:59:59Z", "0100-03-01T00:00:00Z", "1582-10-15T00:00:00Z", "1899-12-31T23:59:59Z", "1900-02-28T23:59:59Z", "1900-03-01T00:00:00Z",
                "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2024-02-29T00:00:00Z", "2026-12-05T21:35:00Z", "2100-03-01T00:00:00Z",
                "9999-12-31T23:59:59Z")) {
            seconds.add(Instant.parse(edge).getEpochSecond());
        }
        Random random = new Random(1970);
        for (int i = 0; i < 200_000; i++) {
            seconds.add(random.nextLong(FIRST, LAST + 1));
        }
        for (long second : seconds) {
            Instant instant = Instant.ofEpochSecond(second);
            assertThat(text(TimestampText.rfc5424Seconds(second))).as("%s", instant).isEqualTo(RFC5424.format(instant));
            assertThat(text(TimestampText.rfc3164(second))).as("%s", instant).isEqualTo(RFC3164.format(instant));
        }
    }

    @Test
    void givesNothingOutsideFourDigitYears()
    {
        for (long second : new long[] {FIRST - 1, LAST + 1, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()}) {
            assertThat(TimestampText.rfc5424Seconds(second)).isNull();
            assertThat(TimestampText.rfc3164(second)).isNull();
        }
    }

    private static String text(byte[] ascii)
    {
        return new String(ascii, StandardCharsets.US_ASCII);
    }
}
