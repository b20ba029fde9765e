package io.outrider.plugin.linuxauth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Coverage-guided fuzzing with Jazzer, as for the sshd parser: arbitrary messages under every prefix shape and
 * program must never throw and must keep {@link LineInvariants}. In a normal build this replays the seeds under
 * {@code src/test/resources/io/outrider/plugin/linuxauth/TestLinuxAuthParserFuzzInputs/parseArbitraryLines/} (one
 * line per family and the injection cases); {@code JAZZER_FUZZ=1 mvn test -Dtest=TestLinuxAuthParserFuzz} fuzzes
 * for real.
 */
class TestLinuxAuthParserFuzz
{
    private static final Instant READ_AT = Instant.parse("2026-12-05T16:00:00Z");
    private static final String[] PREFIXES = {
            "Dec  5 14:03:01 host sudo: ",
            "Dec  5 14:03:01 host su[4242]: ",
            "Dec  5 14:03:01 host authpriv.notice useradd[1]: ",
            "2026-12-05T14:03:01.123456+01:00 host login[901]: ",
            "<86>1 2026-12-05T14:03:01.5Z host usermod 102 - [m a=\"]\"] ",
            "Dec  5 14:03:01 gpasswd: ",
    };
    private static final String[] JOURNAL_PROGRAMS = {"sudo", "su", "runuser", "sshd", "passwd", "userdel", "groupdel", "pkexec", "su(pam_unix)"};

    // one parser for the whole run, so su's memory of the last shadow-su line sees sequences too
    private final LinuxAuthParser parser = new LinuxAuthParser(LineInvariants.CONFIG, ZoneOffset.UTC);

    @FuzzTest(maxDuration = "60s")
    void parseArbitraryLines(FuzzedDataProvider data)
    {
        int shape = data.consumeInt(0, PREFIXES.length + JOURNAL_PROGRAMS.length - 1);
        String text = data.consumeRemainingAsString();
        Event event;
        if (shape >= PREFIXES.length) {
            event = Event.builder().timestamp(READ_AT).message(text)
                    .field(Fields.PROCESS_NAME, JOURNAL_PROGRAMS[shape - PREFIXES.length]).field(Fields.PROCESS_PID, "4242").field(Fields.HOST_NAME, "h")
                    .build();
        }
        else {
            event = Event.builder().timestamp(READ_AT).message(PREFIXES[shape] + text).field(Fields.LOG_FILE_PATH, "/var/log/auth.log").build();
        }
        LineInvariants.check(event, parser.parse(event));
    }
}
