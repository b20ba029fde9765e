package io.outrider.plugin.syslog;

import io.outrider.support.CivilDates;

import java.nio.charset.StandardCharsets;

/**
 * The date and time text of the syslog headers, computed by hand for years 0 to 9999: a log's events change second
 * every few events, and a {@link java.time.format.DateTimeFormatter} call for each new second cost as much as
 * the rest of a message. Proleptic Gregorian calendar, as {@code java.time}.
 */
final class TimestampText
{
    private static final byte[][] MONTHS = new byte[13][];

    static {
        String[] names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        for (int month = 1; month <= 12; month++) {
            MONTHS[month] = names[month - 1].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private TimestampText() {}

    /**
     * {@code uuuu-MM-dd'T'HH:mm:ss.} of a UTC second (the RFC 5424 timestamp up to its fraction), or null when the
     * year is outside 0 to 9999.
     */
    static byte[] rfc5424Seconds(long epochSecond)
    {
        long date = CivilDates.civilDate(Math.floorDiv(epochSecond, 86_400L));
        if (date < 0) {
            return null;
        }
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        byte[] text = new byte[20];
        digits(text, 0, (int) (date / 10_000), 4);
        text[4] = '-';
        digits(text, 5, (int) (date / 100 % 100), 2);
        text[7] = '-';
        digits(text, 8, (int) (date % 100), 2);
        text[10] = 'T';
        time(text, 11, secondOfDay);
        text[19] = '.';
        return text;
    }

    /**
     * {@code MMM ppd HH:mm:ss} (English month, day padded with a space) of a local second, the epoch second plus
     * the zone's offset, or null when the year is outside 0 to 9999.
     */
    static byte[] rfc3164(long localEpochSecond)
    {
        long date = CivilDates.civilDate(Math.floorDiv(localEpochSecond, 86_400L));
        if (date < 0) {
            return null;
        }
        int secondOfDay = (int) Math.floorMod(localEpochSecond, 86_400L);
        byte[] text = new byte[15];
        System.arraycopy(MONTHS[(int) (date / 100 % 100)], 0, text, 0, 3);
        text[3] = ' ';
        int day = (int) (date % 100);
        text[4] = day < 10 ? (byte) ' ' : (byte) ('0' + day / 10);
        text[5] = (byte) ('0' + day % 10);
        text[6] = ' ';
        time(text, 7, secondOfDay);
        return text;
    }

    /** {@code HH:mm:ss} at {@code at}. */
    private static void time(byte[] text, int at, int secondOfDay)
    {
        digits(text, at, secondOfDay / 3600, 2);
        text[at + 2] = ':';
        digits(text, at + 3, secondOfDay / 60 % 60, 2);
        text[at + 5] = ':';
        digits(text, at + 6, secondOfDay % 60, 2);
    }

    private static void digits(byte[] text, int at, int value, int width)
    {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
