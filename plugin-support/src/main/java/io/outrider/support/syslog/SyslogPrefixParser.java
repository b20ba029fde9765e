package io.outrider.support.syslog;

import static java.util.Objects.requireNonNull;

/**
 * Recognises the syslog prefix of a line, its program tag and where the program's text starts, without regular
 * expressions (this runs on every line of a mixed log):
 * <ul>
 *   <li>classic BSD syslog (RFC 3164): {@code [<PRI>]Mon dd HH:MM:SS[.ffffff] [host ]tag[pid]: text} (the fraction
 *       from {@code journalctl -o short-precise}; the day space- or zero-padded; the year inferred by
 *       {@link ClassicTimestamps});</li>
 *   <li>RFC 3339 high-precision: {@code [<PRI>]2024-03-01T12:34:56.123456+01:00 host tag[pid]: text} (also
 *       {@code +0100}, from {@code journalctl -o short-iso}, and {@code 2024-03-01 12:34:56.123456+0100  host}
 *       from macOS' {@code log show --style syslog});</li>
 *   <li>RFC 5424: {@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD [BOM]text}.</li>
 * </ul>
 * Around the tag it accepts what syslog daemons of other systems write: BusyBox syslogd's {@code facility.level}
 * before it (Alpine's default), a tag without PID ({@code sshd:}) or in brackets ({@code [sshd]}), and Solaris'
 * {@code [ID 800047 auth.info]} after it, which is skipped as part of the prefix. A {@code facility.level} word is
 * one of the facility and severity names syslog daemons print ({@code authpriv.notice}, {@code local7.warning}), so
 * that a host followed by an arbitrary dotted word is not taken for one.
 *
 * <p>A tag is 1 to 48 characters (RFC 5424's APP-NAME limit); the {@link ProgramFilter} given at construction then
 * decides whether the line is one the caller wants, before anything is allocated. Not thread-safe (it shares a
 * {@link ClassicTimestamps} cache and keeps the last RFC 3339 result in fields): one per parser instance.
 */
public final class SyslogPrefixParser
{
    /** Decides from the tag alone whether a line is wanted; a rejected line is {@code null} and costs no allocation. */
    @FunctionalInterface
    public interface ProgramFilter
    {
        /** Every tag. */
        ProgramFilter ANY = (text, start, end) -> true;

        /** Whether the tag {@code text[start, end)} (never empty, at most 48 characters) is one the caller wants. */
        boolean accepts(String text, int start, int end);
    }

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final int MAX_PRIORITY = 191;
    private static final int MAX_HOST_LENGTH = 255;
    private static final int MAX_TAG_LENGTH = 48;
    private static final int MAX_PID_DIGITS = 10;
    // the names glibc's, musl's and rsyslog's tables give facilities and severities: what BusyBox syslogd, rsyslog
    // templates and Solaris' message ids print
    private static final String[] FACILITIES = {"auth", "authpriv", "kern", "user", "mail", "daemon", "syslog", "lpr", "news", "uucp", "cron",
            "ftp", "ntp", "security", "audit", "console", "alert", "clock", "mark",
            "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"};
    private static final String[] LEVELS = {"info", "notice", "warning", "warn", "err", "error", "crit", "alert", "emerg", "panic", "debug"};
    // "authpriv.warning": the longest facility.level word
    private static final int MAX_FACILITY_LEVEL_LENGTH = 16;
    private static final char BOM = '\uFEFF';

    private final ClassicTimestamps classicTimestamps;
    private final ProgramFilter programs;

    // results of parseRfc3339, read right after the call (the parser is used by one thread)
    private long parsedEpochSecond;
    private int parsedNanos;
    // the host and program of the last line: a log names the same few over and over, and the same String (its hash
    // computed once) is cheaper for everyone after this parser than a new copy per line
    private String lastHost;
    private String lastProgram;

    /**
     * @param classicTimestamps turns the year-less times of classic prefixes into instants
     * @param programs the tags of the lines wanted; {@link ProgramFilter#ANY} for all
     */
    public SyslogPrefixParser(ClassicTimestamps classicTimestamps, ProgramFilter programs)
    {
        this.classicTimestamps = requireNonNull(classicTimestamps, "classicTimestamps is null");
        this.programs = requireNonNull(programs, "programs is null");
    }

    /**
     * The header of a syslog line whose tag the filter accepts, or {@code null} when the line has no syslog prefix
     * with a tag, or the filter rejects the tag.
     *
     * @param referenceEpochSecond when the line was read, for the year of a classic timestamp
     */
    public SyslogHeader parse(String line, long referenceEpochSecond)
    {
        int length = line.length();
        int position = 0;
        int priority = SyslogHeader.NO_PRIORITY;
        if (length > 0 && line.charAt(0) == '<') {
            int close = line.indexOf('>', 1);
            if (close < 2 || close > 4) {
                return null;
            }
            priority = parseDigits(line, 1, close);
            if (priority < 0 || priority > MAX_PRIORITY) {
                return null;
            }
            position = close + 1;
        }
        if (position + 2 < length && line.charAt(position) == '1' && line.charAt(position + 1) == ' ') {
            return parseRfc5424(line, position + 2, priority);
        }
        if (position + 4 < length && isDigit(line.charAt(position)) && line.charAt(position + 4) == '-') {
            // macOS' "log show --style syslog" separates date and time with a space and the host with two
            int end = parseRfc3339(line, position, true);
            if (end < 0 || end >= length || line.charAt(end) != ' ') {
                return null;
            }
            end++;
            if (end < length && line.charAt(end) == ' ') {
                end++;
            }
            return parseHostAndTag(line, end, parsedEpochSecond, parsedNanos, priority);
        }
        return parseClassic(line, position, priority, referenceEpochSecond);
    }

    private SyslogHeader parseClassic(String line, int start, int priority, long referenceEpochSecond)
    {
        // "Mon dd HH:MM:SS " is 16 characters; the day is space-padded ("Jun  9") or, from some daemons, zero-padded
        if (line.length() < start + 16 || line.charAt(start + 3) != ' ' || line.charAt(start + 6) != ' '
                || line.charAt(start + 9) != ':' || line.charAt(start + 12) != ':') {
            return null;
        }
        // journalctl -o short-precise adds a fraction of the second: "Mon dd HH:MM:SS.ffffff "
        int end = start + 15;
        int nanos = 0;
        if (line.charAt(end) == '.') {
            int fractionStart = ++end;
            while (end < line.length() && end - fractionStart < 9 && isDigit(line.charAt(end))) {
                nanos = nanos * 10 + (line.charAt(end) - '0');
                end++;
            }
            if (end == fractionStart) {
                return null;
            }
            for (int d = end - fractionStart; d < 9; d++) {
                nanos *= 10;
            }
        }
        if (end >= line.length() || line.charAt(end) != ' ') {
            return null;
        }
        int month = month(line, start);
        if (month == 0) {
            return null;
        }
        char dayTens = line.charAt(start + 4);
        int day = twoDigits(dayTens == ' ' ? '0' : dayTens, line.charAt(start + 5));
        int hour = twoDigits(line.charAt(start + 7), line.charAt(start + 8));
        int minute = twoDigits(line.charAt(start + 10), line.charAt(start + 11));
        int second = twoDigits(line.charAt(start + 13), line.charAt(start + 14));
        if (day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return null;
        }
        // a leap second is kept inside its minute
        long epochSecond = classicTimestamps.toEpochSecond(month, day, hour, minute, Math.min(second, 59), referenceEpochSecond);
        return parseHostAndTag(line, end + 1, epochSecond, nanos, priority);
    }

    /**
     * {@code host tag[pid]: text}; also {@code tag[pid]: text} from syslog daemons that omit the host, {@code host
     * facility.level tag[pid]: text} from BusyBox syslogd, {@code tag: text} without a PID and {@code [tag]: text}.
     */
    private SyslogHeader parseHostAndTag(String line, int start, long epochSecond, int nanos, int priority)
    {
        int length = line.length();
        int firstSpace = line.indexOf(' ', start);
        if (firstSpace < 0 || firstSpace == start) {
            return null;
        }
        int hostEnd;
        int tagStart;
        if (line.charAt(firstSpace - 1) == ':' || line.charAt(start) == '[') {
            hostEnd = -1;
            tagStart = start;
        }
        else {
            if (firstSpace - start > MAX_HOST_LENGTH) {
                return null;
            }
            hostEnd = firstSpace;
            tagStart = firstSpace + 1;
        }
        int programEnd = tagEnd(line, tagStart);
        if (programEnd < length && line.charAt(programEnd) == ' ' && line.charAt(tagStart) != '[') {
            // not a tag (a tag ends at '[' or ':'): BusyBox syslogd writes the facility and level between host and tag
            if (!isFacilityLevel(line, tagStart, programEnd)) {
                return null;
            }
            tagStart = programEnd + 1;
            programEnd = tagEnd(line, tagStart);
        }
        boolean bracketed = tagStart < length && line.charAt(tagStart) == '[';
        int programStart = bracketed ? tagStart + 1 : tagStart;
        if (programEnd >= length || programEnd == programStart || programEnd - programStart > MAX_TAG_LENGTH
                || !programs.accepts(line, programStart, programEnd)) {
            return null;
        }
        long pid = SyslogHeader.NO_PID;
        int messageStart;
        if (bracketed) {
            // "[sshd]: text" or "[sshd] text"
            if (line.charAt(programEnd) != ']' || programEnd + 1 >= length) {
                return null;
            }
            char after = line.charAt(programEnd + 1);
            if (after != ':' && after != ' ') {
                return null;
            }
            messageStart = after == ':' ? programEnd + 2 : programEnd + 1;
        }
        else {
            int colon = programEnd;
            if (line.charAt(programEnd) == '[') {
                int close = line.indexOf(']', programEnd + 1);
                if (close < 0 || close - programEnd - 1 > MAX_PID_DIGITS) {
                    return null;
                }
                pid = parseLongDigits(line, programEnd + 1, close);
                if (pid < 0) {
                    return null;
                }
                colon = close + 1;
            }
            if (colon >= length || line.charAt(colon) != ':') {
                return null;
            }
            messageStart = colon + 1;
        }
        if (messageStart < length && line.charAt(messageStart) == ' ') {
            messageStart++;
        }
        messageStart = skipSolarisMessageId(line, messageStart);
        String host = null;
        if (hostEnd >= 0) {
            host = sameText(lastHost, line, start, hostEnd) ? lastHost : (lastHost = line.substring(start, hostEnd));
        }
        String program = sameText(lastProgram, line, programStart, programEnd) ? lastProgram : (lastProgram = line.substring(programStart, programEnd));
        return new SyslogHeader(epochSecond, nanos, host, program, pid, priority, messageStart);
    }

    /** Whether {@code line[start, end)} is {@code known}. */
    private static boolean sameText(String known, String line, int start, int end)
    {
        return known != null && known.length() == end - start && line.regionMatches(start, known, 0, end - start);
    }

    /**
     * Where the program name of a tag at {@code tagStart} ({@code name...} or {@code [name...}) ends, or the line's
     * length. Only a bracketed name ends at {@code ]}: GDM logs under {@code gdm-password]}.
     */
    private static int tagEnd(String line, int tagStart)
    {
        int length = line.length();
        boolean bracketed = tagStart < length && line.charAt(tagStart) == '[';
        int i = bracketed ? tagStart + 1 : tagStart;
        while (i < length) {
            char c = line.charAt(i);
            if (c == '[' || c == ':' || c == ' ' || (c == ']' && bracketed)) {
                return i;
            }
            i++;
        }
        return length;
    }

    /**
     * Solaris and illumos syslogd put a message id and the facility before the text: {@code [ID 800047 auth.info] }.
     * Returns where the text starts after it, or {@code start} when there is none.
     */
    private static int skipSolarisMessageId(String line, int start)
    {
        if (!line.startsWith("[ID ", start)) {
            return start;
        }
        int digitsStart = start + 4;
        int i = digitsStart;
        while (i < line.length() && isDigit(line.charAt(i)) && i - digitsStart < MAX_PID_DIGITS) {
            i++;
        }
        if (i == digitsStart || i >= line.length() || line.charAt(i) != ' ') {
            return start;
        }
        int close = line.indexOf(']', i + 1);
        if (close < 0 || !isFacilityLevel(line, i + 1, close) || close + 1 >= line.length() || line.charAt(close + 1) != ' ') {
            return start;
        }
        return close + 2;
    }

    /** Whether {@code line[start, end)} is {@code facility.level} with names syslog daemons print. */
    private static boolean isFacilityLevel(String line, int start, int end)
    {
        if (end - start > MAX_FACILITY_LEVEL_LENGTH) {
            return false;
        }
        int dot = line.indexOf('.', start);
        return dot > start && dot < end && isOneOf(line, start, dot, FACILITIES) && isOneOf(line, dot + 1, end, LEVELS);
    }

    private static boolean isOneOf(String line, int start, int end, String[] words)
    {
        for (String word : words) {
            if (word.length() == end - start && line.startsWith(word, start)) {
                return true;
            }
        }
        return false;
    }

    private SyslogHeader parseRfc5424(String line, int start, int priority)
    {
        int length = line.length();
        long epochSecond = ClassicTimestamps.UNRESOLVED;
        int nanos = 0;
        int position;
        if (line.startsWith("- ", start)) {
            position = start + 2;
        }
        else {
            int end = parseRfc3339(line, start, false);
            if (end < 0 || end >= length || line.charAt(end) != ' ') {
                return null;
            }
            epochSecond = parsedEpochSecond;
            nanos = parsedNanos;
            position = end + 1;
        }
        int hostEnd = line.indexOf(' ', position);
        if (hostEnd < 0 || hostEnd - position > MAX_HOST_LENGTH) {
            return null;
        }
        String host = hostEnd - position == 1 && line.charAt(position) == '-' ? null : line.substring(position, hostEnd);
        int appStart = hostEnd + 1;
        int appEnd = line.indexOf(' ', appStart);
        if (appEnd < 0 || appEnd == appStart || appEnd - appStart > MAX_TAG_LENGTH || (appEnd - appStart == 1 && line.charAt(appStart) == '-')
                || !programs.accepts(line, appStart, appEnd)) {
            return null;
        }
        int procStart = appEnd + 1;
        int procEnd = line.indexOf(' ', procStart);
        if (procEnd < 0) {
            return null;
        }
        long pid = SyslogHeader.NO_PID;
        if (!(procEnd - procStart == 1 && line.charAt(procStart) == '-')) {
            if (procEnd - procStart > MAX_PID_DIGITS) {
                return null;
            }
            pid = parseLongDigits(line, procStart, procEnd);
            if (pid < 0) {
                return null;
            }
        }
        int msgIdEnd = line.indexOf(' ', procEnd + 1);
        if (msgIdEnd < 0) {
            return null;
        }
        int messageStart = skipStructuredData(line, msgIdEnd + 1);
        if (messageStart < 0) {
            return null;
        }
        if (messageStart < length && line.charAt(messageStart) == ' ') {
            messageStart++;
        }
        if (messageStart < length && line.charAt(messageStart) == BOM) {
            messageStart++;
        }
        return new SyslogHeader(epochSecond, nanos, host, line.substring(appStart, appEnd), pid, priority, messageStart);
    }

    /** Index after the STRUCTURED-DATA field ({@code -} or {@code [id k="v"]...}), or -1 when malformed. */
    private static int skipStructuredData(String line, int start)
    {
        int length = line.length();
        if (start >= length) {
            return -1;
        }
        if (line.charAt(start) == '-') {
            return start + 1;
        }
        int i = start;
        while (i < length && line.charAt(i) == '[') {
            i++;
            boolean quoted = false;
            while (true) {
                if (i >= length) {
                    return -1;
                }
                char c = line.charAt(i);
                if (quoted && c == '\\') {
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                }
                else if (c == ']' && !quoted) {
                    i++;
                    break;
                }
                i++;
            }
        }
        return i == start ? -1 : i;
    }

    /**
     * Parses {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+HH:MM|-HH:MM|+HHMM)} at {@code start} (with a space for the
     * {@code T} when {@code spaceSeparator}) into {@link #parsedEpochSecond} and {@link #parsedNanos}; returns the
     * index after it, or -1.
     */
    private int parseRfc3339(String line, int start, boolean spaceSeparator)
    {
        int length = line.length();
        if (start + 20 > length || line.charAt(start + 4) != '-' || line.charAt(start + 7) != '-'
                || (line.charAt(start + 10) != 'T' && line.charAt(start + 10) != 't' && !(spaceSeparator && line.charAt(start + 10) == ' '))
                || line.charAt(start + 13) != ':' || line.charAt(start + 16) != ':') {
            return -1;
        }
        int year = parseDigits(line, start, start + 4);
        int month = parseDigits(line, start + 5, start + 7);
        int day = parseDigits(line, start + 8, start + 10);
        int hour = parseDigits(line, start + 11, start + 13);
        int minute = parseDigits(line, start + 14, start + 16);
        int second = parseDigits(line, start + 17, start + 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > ClassicTimestamps.lengthOfMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return -1;
        }
        int i = start + 19;
        int nanos = 0;
        if (line.charAt(i) == '.') {
            i++;
            int digits = 0;
            while (i < length && isDigit(line.charAt(i))) {
                if (digits < 9) {
                    nanos = nanos * 10 + (line.charAt(i) - '0');
                }
                digits++;
                i++;
            }
            if (digits == 0) {
                return -1;
            }
            for (int d = digits; d < 9; d++) {
                nanos *= 10;
            }
        }
        if (i >= length) {
            return -1;
        }
        int offsetSeconds;
        char zone = line.charAt(i);
        if (zone == 'Z' || zone == 'z') {
            offsetSeconds = 0;
            i++;
        }
        else if ((zone == '+' || zone == '-') && i + 5 <= length) {
            // "+01:00", or "+0100" as journalctl -o short-iso writes it
            boolean colon = i + 6 <= length && line.charAt(i + 3) == ':';
            int offsetHours = parseDigits(line, i + 1, i + 3);
            int offsetMinutes = colon ? parseDigits(line, i + 4, i + 6) : parseDigits(line, i + 3, i + 5);
            if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59) {
                return -1;
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (zone == '-' ? -1 : 1);
            i += colon ? 6 : 5;
        }
        else {
            return -1;
        }
        long local = ClassicTimestamps.epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + Math.min(second, 59);
        parsedEpochSecond = local - offsetSeconds;
        parsedNanos = nanos;
        return i;
    }

    private static int month(String line, int start)
    {
        char first = line.charAt(start);
        for (int i = 0; i < MONTHS.length; i++) {
            String month = MONTHS[i];
            if (month.charAt(0) == first && line.startsWith(month, start)) {
                return i + 1;
            }
        }
        return 0;
    }

    private static int twoDigits(char tens, char units)
    {
        if (!isDigit(tens) || !isDigit(units)) {
            return -1;
        }
        return (tens - '0') * 10 + (units - '0');
    }

    private static int parseDigits(String text, int start, int end)
    {
        long value = parseLongDigits(text, start, end);
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    /** Non-negative decimal of 1..18 digits, or -1. */
    private static long parseLongDigits(String text, int start, int end)
    {
        if (end <= start || end - start > 18) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c)
    {
        return c >= '0' && c <= '9';
    }
}
