package io.outrider.support.syslog;

import io.outrider.support.syslog.SyslogPrefixParser.ProgramFilter;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSyslogPrefixParser
{
    private static final long READ_AT = Instant.parse("2026-12-05T16:00:00Z").getEpochSecond();
    private static final ProgramFilter SUDO_ONLY = (text, start, end) -> end - start == 4 && text.startsWith("sudo", start);

    private final SyslogPrefixParser any = new SyslogPrefixParser(new ClassicTimestamps(null, ZoneOffset.UTC), ProgramFilter.ANY);
    private final SyslogPrefixParser sudoOnly = new SyslogPrefixParser(new ClassicTimestamps(null, ZoneOffset.UTC), SUDO_ONLY);

    private SyslogHeader parse(String line)
    {
        return any.parse(line, READ_AT);
    }

    private static String text(String line, SyslogHeader header)
    {
        return line.substring(header.messageStart());
    }

    private static long epochSecond(String instant)
    {
        return Instant.parse(instant).getEpochSecond();
    }

    @Test
    void classicWithHostAndPid()
    {
        String line = "Dec  5 14:03:01 web-01 sudo[3301]: alice : TTY=pts/0";
        SyslogHeader header = parse(line);
        assertThat(header).isEqualTo(new SyslogHeader(epochSecond("2026-12-05T14:03:01Z"), 0, "web-01", "sudo", 3301, SyslogHeader.NO_PRIORITY,
                line.indexOf("alice")));
        assertThat(header.hasTimestamp()).isTrue();
    }

    @Test
    void consecutiveLinesOfOneHostAndProgramShareTheirStringsAndOthersGetTheirOwn()
    {
        SyslogHeader first = parse("Dec  5 14:03:01 web-01 sudo[3301]: alice : TTY=pts/0");
        SyslogHeader same = parse("Dec  5 14:03:02 web-01 sudo[3302]: bob : TTY=pts/1");
        SyslogHeader otherHost = parse("Dec  5 14:03:03 web-02 sshd[3303]: Accepted password for carol");
        SyslogHeader noHost = parse("Dec  5 14:03:04 sudo: dave : TTY=pts/2");
        SyslogHeader back = parse("Dec  5 14:03:05 web-01 sshd[3305]: Accepted password for erin");

        // the same host and program again: the String of the line before, not a copy per line
        assertThat(same.host()).isSameAs(first.host());
        assertThat(same.program()).isSameAs(first.program());
        assertThat(otherHost.host()).isEqualTo("web-02");
        assertThat(otherHost.program()).isEqualTo("sshd");
        assertThat(noHost.host()).isNull();
        assertThat(noHost.program()).isEqualTo("sudo");
        assertThat(back.host()).isEqualTo("web-01");
        assertThat(back.program()).isEqualTo("sshd");
        assertThat(first.host()).isEqualTo("web-01");
        assertThat(first.program()).isEqualTo("sudo");
    }

    @Test
    void classicWithoutHostWithoutPidWithPriorityAndZeroPaddedDay()
    {
        String line = "<38>Dec 05 14:03:01 su: FAILED SU (to root) alice on pts/1";
        SyslogHeader header = parse(line);
        assertThat(header.host()).isNull();
        assertThat(header.program()).isEqualTo("su");
        assertThat(header.pid()).isEqualTo(SyslogHeader.NO_PID);
        assertThat(header.priority()).isEqualTo(38);
        assertThat(header.epochSecond()).isEqualTo(epochSecond("2026-12-05T14:03:01Z"));
        assertThat(text(line, header)).isEqualTo("FAILED SU (to root) alice on pts/1");
    }

    @Test
    void classicYearIsInferredFromWhenTheLineWasRead()
    {
        // a December line read on January 1st belongs to the year before
        SyslogHeader header = any.parse("Dec 31 23:59:58 h sudo: x", epochSecond("2027-01-01T00:00:05Z"));
        assertThat(header.epochSecond()).isEqualTo(epochSecond("2026-12-31T23:59:58Z"));
        SyslogHeader fixed = new SyslogPrefixParser(new ClassicTimestamps(2020, ZoneOffset.UTC), ProgramFilter.ANY).parse("Dec 31 23:59:58 h sudo: x", READ_AT);
        assertThat(fixed.epochSecond()).isEqualTo(epochSecond("2020-12-31T23:59:58Z"));
        SyslogHeader notInThatYear = new SyslogPrefixParser(new ClassicTimestamps(2025, ZoneOffset.UTC), ProgramFilter.ANY).parse("Feb 29 12:00:00 h sudo: x", READ_AT);
        assertThat(notInThatYear.hasTimestamp()).isFalse();
    }

    @Test
    void classicWithFractionFromJournalctlShortPrecise()
    {
        SyslogHeader header = parse("Dec  5 14:03:01.250000 web-01 sudo[1]: x");
        assertThat(header.epochSecond()).isEqualTo(epochSecond("2026-12-05T14:03:01Z"));
        assertThat(header.nanos()).isEqualTo(250_000_000);
        assertThat(header.host()).isEqualTo("web-01");
        assertThat(parse("Dec  5 14:03:01. web-01 sudo[1]: x")).isNull();
    }

    @Test
    void rfc3339Timestamps()
    {
        SyslogHeader iso = parse("2026-12-05T14:03:01.123456+01:00 web-01 sudo[7]: x");
        assertThat(iso.epochSecond()).isEqualTo(epochSecond("2026-12-05T13:03:01Z"));
        assertThat(iso.nanos()).isEqualTo(123_456_000);
        assertThat(iso.host()).isEqualTo("web-01");
        // journalctl -o short-iso
        assertThat(parse("2026-12-05T14:03:01+0100 web-01 sudo[7]: x").epochSecond()).isEqualTo(epochSecond("2026-12-05T13:03:01Z"));
        // macOS' log show --style syslog: a space for the T, two before the host
        SyslogHeader macos = parse("2026-12-05 14:03:01.500000-0800  mac sudo[7]: x");
        assertThat(macos.epochSecond()).isEqualTo(epochSecond("2026-12-05T22:03:01Z"));
        assertThat(macos.host()).isEqualTo("mac");
        assertThat(parse("2026-02-30T14:03:01Z web-01 sudo[7]: x")).isNull();
        assertThat(parse("2026-12-05T14:03:01 web-01 sudo[7]: x")).isNull();
    }

    @Test
    void rfc5424()
    {
        String line = "<86>1 2026-12-05T14:03:01.5Z web-01 sudo 3301 - [meta a=\"b\\\"]\"] \uFEFFalice : TTY=pts/0";
        SyslogHeader header = parse(line);
        assertThat(header).isEqualTo(new SyslogHeader(epochSecond("2026-12-05T14:03:01Z"), 500_000_000, "web-01", "sudo", 3301, 86, line.indexOf("alice")));
        SyslogHeader nil = parse("<86>1 - - su - - - x");
        assertThat(nil.hasTimestamp()).isFalse();
        assertThat(nil.host()).isNull();
        assertThat(nil.pid()).isEqualTo(SyslogHeader.NO_PID);
        // the nil APP-NAME is no program
        assertThat(parse("<86>1 - h - - - - x")).isNull();
        assertThat(sudoOnly.parse("<86>1 - h su - - - x", READ_AT)).isNull();
    }

    @Test
    void busyboxFacilityAndLevelBeforeTheTag()
    {
        String line = "Dec  5 14:03:01 alpine authpriv.notice su: + pts/0 alice:root";
        SyslogHeader header = parse(line);
        assertThat(header.host()).isEqualTo("alpine");
        assertThat(header.program()).isEqualTo("su");
        assertThat(text(line, header)).isEqualTo("+ pts/0 alice:root");
        assertThat(parse("Dec  5 14:03:01 alpine local7.warning sudo[2]: x").program()).isEqualTo("sudo");
        assertThat(parse("Dec  5 14:03:01 alpine auth.error sudo[2]: x").program()).isEqualTo("sudo");
    }

    @Test
    void aDottedWordThatIsNoFacilityAndLevelIsNoPrefix()
    {
        // parser-sshd took any "[a-z0-9]+.[a-z0-9]+ " word for busybox's facility.level: with any tag wanted, a host
        // followed by an arbitrary word would shift the host and the tag
        assertThat(parse("Dec  5 14:03:01 alpine authpriv.bogus sudo: x")).isNull();
        assertThat(parse("Dec  5 14:03:01 alpine foo.bar sudo: x")).isNull();
        assertThat(parse("Dec  5 14:03:01 alpine authpriv.notice authpriv.notice sudo: x")).isNull();
    }

    @Test
    void tagShapes()
    {
        String bracketed = "Dec  5 14:03:01 fw1 [sshd]: Failed password";
        SyslogHeader header = parse(bracketed);
        assertThat(header.host()).isEqualTo("fw1");
        assertThat(header.program()).isEqualTo("sshd");
        assertThat(text(bracketed, header)).isEqualTo("Failed password");
        String bracketedWithoutColon = "Dec  5 14:03:01 [sshd] Failed password";
        assertThat(parse(bracketedWithoutColon).host()).isNull();
        assertThat(text(bracketedWithoutColon, parse(bracketedWithoutColon))).isEqualTo("Failed password");
        // GDM's tag really ends in ']'
        assertThat(parse("Dec  5 14:22:00 host gdm-password]: pam_unix(gdm-password:auth): x").program()).isEqualTo("gdm-password]");
        assertThat(parse("Dec  5 14:03:01 host CRON[55]: x").pid()).isEqualTo(55);
        assertThat(parse("Dec  5 14:03:01 host " + "t".repeat(48) + ": x").program()).hasSize(48);
        assertThat(parse("Dec  5 14:03:01 host " + "t".repeat(49) + ": x")).isNull();
        assertThat(parse("Dec  5 14:03:01 host sudo[: x")).isNull();
        assertThat(parse("Dec  5 14:03:01 host sudo[12345678901]: x")).isNull();
        assertThat(parse("Dec  5 14:03:01 host a b: x")).isNull();
        assertThat(parse("Dec  5 14:03:01 host [sshd Failed password")).isNull();
        assertThat(parse("Dec  5 14:03:01 host ")).isNull();
    }

    @Test
    void solarisMessageIdIsPartOfThePrefix()
    {
        String line = "Dec  5 14:03:01 sol sudo[3]: [ID 702911 auth.notice] alice : TTY=pts/1";
        assertThat(text(line, parse(line))).isEqualTo("alice : TTY=pts/1");
        String notAnId = "Dec  5 14:03:01 sol sudo[3]: [ID x auth.notice] alice";
        assertThat(text(notAnId, parse(notAnId))).isEqualTo("[ID x auth.notice] alice");
        String notAFacility = "Dec  5 14:03:01 sol sudo[3]: [ID 702911 alice] bob";
        assertThat(text(notAFacility, parse(notAFacility))).isEqualTo("[ID 702911 alice] bob");
    }

    @Test
    void theFilterDecidesFromTheTag()
    {
        assertThat(sudoOnly.parse("Dec  5 14:03:01 h sudo: x", READ_AT)).isNotNull();
        assertThat(sudoOnly.parse("Dec  5 14:03:01 h sudox: x", READ_AT)).isNull();
        assertThat(sudoOnly.parse("Dec  5 14:03:01 h authpriv.info su: x", READ_AT)).isNull();
        assertThat(sudoOnly.parse("Dec  5 14:03:01 h [sudo] x", READ_AT)).isNotNull();
    }

    @Test
    void notAPrefix()
    {
        assertThat(parse("")).isNull();
        assertThat(parse("sudo: x")).isNull();
        assertThat(parse("<999>Dec  5 14:03:01 h sudo: x")).isNull();
        assertThat(parse("<>Dec  5 14:03:01 h sudo: x")).isNull();
        assertThat(parse("Foo  5 14:03:01 h sudo: x")).isNull();
        assertThat(parse("Dec 32 14:03:01 h sudo: x")).isNull();
        assertThat(parse("Dec  5 24:03:01 h sudo: x")).isNull();
        assertThat(parse("Dec  5 14:03:01 " + "h".repeat(256) + " sudo: x")).isNull();
    }

    @Test
    void nullArgumentsAreRejected()
    {
        assertThatThrownBy(() -> new SyslogPrefixParser(null, ProgramFilter.ANY)).hasMessage("classicTimestamps is null");
        assertThatThrownBy(() -> new SyslogPrefixParser(new ClassicTimestamps(null, ZoneOffset.UTC), null)).hasMessage("programs is null");
    }
}
