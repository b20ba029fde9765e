package io.outrider.support;

/**
 * Days since 1970-01-01 to a calendar date, without {@code java.time}: the encoders that write timestamps by hand
 * (JSON's ISO instants, syslog's headers) do it for every new second, where a {@code LocalDate} or a formatter call
 * cost as much as the rest of an event. Proleptic Gregorian calendar, as {@code java.time}. Thread-safe (stateless).
 */
public final class CivilDates
{
    private CivilDates() {}

    /**
     * The civil date of a day since 1970-01-01 as {@code year * 10000 + month * 100 + day}, or -1 when the year is
     * outside 0 to 9999, which the callers hand to a {@code java.time} formatter instead (H. Hinnant's days-to-civil
     * algorithm, in eras of 400 years from 0000-03-01).
     */
    public static long civilDate(long epochDay)
    {
        // beyond these days the arithmetic below could overflow; the years there are far outside 0 to 9999 anyway
        if (epochDay < -1_000_000L || epochDay > 3_000_000L) {
            return -1;
        }
        long shifted = epochDay + 719_468L;
        long era = Math.floorDiv(shifted, 146_097L);
        long dayOfEra = shifted - era * 146_097L;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
        long month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return -1;
        }
        return year * 10_000 + month * 100 + day;
    }
}
