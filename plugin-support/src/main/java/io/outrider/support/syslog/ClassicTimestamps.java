package io.outrider.support.syslog;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

import static java.util.Objects.requireNonNull;

/**
 * Turns the year-less local time of a classic syslog prefix ({@code Dec 31 23:59:58}) into an instant.
 *
 * <p>Without a configured year, the year is the latest one (from the year after the reference down to eight years
 * before it) that does not put the line more than a day after the reference, the moment the line was read: a
 * December line read in January belongs to the year before, a January line read a little before midnight on
 * December 31 by a machine whose clock lags belongs to the next year, and February 29 finds its leap year.
 *
 * <p>Not thread-safe: it caches the last conversions, which makes consecutive lines of one log almost free. Each
 * parser instance (one per input thread) keeps its own.
 */
public final class ClassicTimestamps
{
    /** The epoch second that stands for "no time could be read": the event keeps the time it had. */
    public static final long UNRESOLVED = Long.MIN_VALUE;
    private static final int SECONDS_PER_DAY = 86_400;
    private static final int SECONDS_PER_HOUR = 3_600;
    private static final int YEARS_BACK = 8;

    private final Integer fixedYear;
    private final ZoneRules rules;
    private final int fixedOffset;
    private final boolean isFixedOffset;

    private long cachedLocalHour = Long.MIN_VALUE;
    private int cachedLocalHourOffset;
    private long cachedUtcHour = Long.MIN_VALUE;
    private int cachedUtcHourOffset;
    private int cachedMonthDay = -1;
    private long cachedReferenceDay = Long.MIN_VALUE;
    private int cachedYear;

    /**
     * @param fixedYear the year of every line (a log archived from a known year), or {@code null} to infer it
     * @param zone the zone the writing syslog daemon's clock was in
     */
    public ClassicTimestamps(Integer fixedYear, ZoneId zone)
    {
        this.fixedYear = fixedYear;
        this.rules = requireNonNull(zone, "zone is null").getRules();
        this.isFixedOffset = rules.isFixedOffset();
        this.fixedOffset = isFixedOffset ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : 0;
    }

    /**
     * Epoch second of the local time, or {@link #UNRESOLVED} when the date does not exist in the chosen year
     * (February 29 with a configured non-leap year).
     *
     * @param month 1 to 12
     * @param day 1 to 31
     * @param second 0 to 59 (a leap second is the caller's to fold)
     * @param referenceEpochSecond when the line was read: the latest moment the line can be from, give or take a day
     */
    public long toEpochSecond(int month, int day, int hour, int minute, int second, long referenceEpochSecond)
    {
        int year = fixedYear != null ? fixedYear : inferYear(month, day, referenceEpochSecond);
        if (day > lengthOfMonth(year, month)) {
            return UNRESOLVED;
        }
        long localEpochSecond = epochDay(year, month, day) * SECONDS_PER_DAY + hour * SECONDS_PER_HOUR + minute * 60L + second;
        return localEpochSecond - offsetOfLocal(localEpochSecond);
    }

    private int inferYear(int month, int day, long referenceEpochSecond)
    {
        long referenceLocalDay = Math.floorDiv(referenceEpochSecond + offsetOfUtc(referenceEpochSecond), SECONDS_PER_DAY);
        int monthDay = month * 32 + day;
        if (monthDay == cachedMonthDay && referenceLocalDay == cachedReferenceDay) {
            return cachedYear;
        }
        int referenceYear = yearOfEpochDay(referenceLocalDay);
        int year = referenceYear - YEARS_BACK;
        for (int candidate = referenceYear + 1; candidate >= referenceYear - YEARS_BACK; candidate--) {
            if (day <= lengthOfMonth(candidate, month) && epochDay(candidate, month, day) <= referenceLocalDay + 1) {
                year = candidate;
                break;
            }
        }
        cachedMonthDay = monthDay;
        cachedReferenceDay = referenceLocalDay;
        cachedYear = year;
        return year;
    }

    private int offsetOfLocal(long localEpochSecond)
    {
        if (isFixedOffset) {
            return fixedOffset;
        }
        long hour = Math.floorDiv(localEpochSecond, SECONDS_PER_HOUR);
        if (hour != cachedLocalHour) {
            // for a local time in a DST overlap this is the earlier offset, in a gap the offset before the gap
            LocalDateTime local = LocalDateTime.ofEpochSecond(hour * SECONDS_PER_HOUR, 0, ZoneOffset.UTC);
            cachedLocalHourOffset = rules.getOffset(local).getTotalSeconds();
            cachedLocalHour = hour;
        }
        return cachedLocalHourOffset;
    }

    private int offsetOfUtc(long epochSecond)
    {
        if (isFixedOffset) {
            return fixedOffset;
        }
        long hour = Math.floorDiv(epochSecond, SECONDS_PER_HOUR);
        if (hour != cachedUtcHour) {
            cachedUtcHourOffset = rules.getOffset(Instant.ofEpochSecond(hour * SECONDS_PER_HOUR)).getTotalSeconds();
            cachedUtcHour = hour;
        }
        return cachedUtcHourOffset;
    }

    /** Days in {@code month} (1 to 12) of {@code year}. */
    public static int lengthOfMonth(int year, int month)
    {
        switch (month) {
            case 2:
                return isLeapYear(year) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Whether {@code year} is a leap year of the proleptic Gregorian calendar. */
    public static boolean isLeapYear(int year)
    {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days since 1970-01-01 of a valid proleptic Gregorian date (the algorithm of {@code LocalDate.toEpochDay}). */
    public static long epochDay(int year, int month, int day)
    {
        long y = year;
        long total = 365 * y;
        if (y >= 0) {
            total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        }
        else {
            total -= y / -4 - y / -100 + y / -400;
        }
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!isLeapYear(year)) {
                total--;
            }
        }
        return total - 719_528;
    }

    private static int yearOfEpochDay(long epochDay)
    {
        return LocalDate.ofEpochDay(epochDay).getYear();
    }
}
