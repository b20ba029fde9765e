package io.outrider.plugin.sshd;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.TestingMetrics;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Coverage-guided fuzzing with Jazzer: arbitrary sshd messages under every prefix shape must never throw, must
 * keep {@link LineInvariants}, and must be classified the same with and without {@link FastPaths}. In a normal build this replays the seeds under
 * {@code src/test/resources/io/outrider/plugin/sshd/TestSshdParserFuzzInputs/parseArbitraryLines/} (the injection
 * cases and one line per template); {@code JAZZER_FUZZ=1 mvn test -Dtest=TestSshdParserFuzz} fuzzes for real.
 */
class TestSshdParserFuzz
{
    private static final Instant READ_AT = Instant.parse("2026-11-23T10:00:00Z");
    private static final String[] PREFIXES = {
            "Nov 22 14:03:07 web1 sshd[4242]: ",
            "<38>Jan  1 00:00:00 web1 sshd-session[1]: ",
            "2026-03-01T12:34:56.123456+01:00 web2 sshd[101]: ",
            "<38>1 2026-03-01T12:34:56.5Z web3 sshd 102 - [m a=\"]\"] ",
            "Dec 31 23:59:59 sshd(pam_unix)[7]: ",
    };

    // one parser for the whole run, so the session table sees sequences of lines too
    private final SshdParser parser = new SshdParser(LineInvariants.CONFIG, ZoneOffset.UTC, new TestingMetrics());

    private final SshdClassifier withFastPaths = new SshdClassifier(true);
    private final SshdClassifier templatesOnly = new SshdClassifier(false);

    @FuzzTest(maxDuration = "60s")
    void parseArbitraryLines(FuzzedDataProvider data)
    {
        int shape = data.consumeInt(0, PREFIXES.length);
        String text = data.consumeRemainingAsString();
        Event event;
        if (shape == PREFIXES.length) {
            event = Event.builder().timestamp(READ_AT).message(text)
                    .field(Fields.PROCESS_NAME, "sshd").field(Fields.PROCESS_PID, "4242").field(Fields.HOST_NAME, "h")
                    .build();
        }
        else {
            event = Event.builder().timestamp(READ_AT).message(PREFIXES[shape] + text).field(Fields.LOG_FILE_PATH, "/var/log/auth.log").build();
        }
        LineInvariants.check(event, parser.parse(event));
        // the hand-written fast paths must say exactly what the templates say
        if (!withFastPaths.classify(text).equals(templatesOnly.classify(text))) {
            throw new AssertionError("fast path and template disagree on <" + text + ">: " + withFastPaths.classify(text) + " vs " + templatesOnly.classify(text));
        }
    }
}
