package io.outrider.plugin.sshd;

import io.outrider.spi.Event;
import io.outrider.spi.ParseResult;
import io.outrider.spi.testing.ParserHarness;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The project's own auth.log ({@code fixtures/auth.log.expected}): every shape of line the Loghub samples cover, and
 * the modern OpenSSH ones, with the outcome each must get. Runs everywhere, unlike {@link TestLoghubAccuracy}.
 */
class TestAuthLogFixture
{
    static final String RESOURCE = "fixtures/auth.log.expected";

    @Test
    void everyLineGetsItsOutcome()
    {
        ParserHarness harness = SshdHarness.create();
        List<String> problems = new ArrayList<>();
        for (FixtureLine fixture : lines()) {
            ParseResult result = harness.parseLine(fixture.line());
            String outcome = result.isMatched() ? outcomes(result.events()) : "unmatched";
            if (!outcome.equals(fixture.expected())) {
                problems.add(fixture.number() + ": expected " + fixture.expected() + " but got " + outcome + " for <" + fixture.line() + ">");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void fixtureCoversEveryOutcomeTheCorporaCover()
    {
        Set<String> outcomes = new TreeSet<>();
        lines().forEach(fixture -> outcomes.add(fixture.expected().replaceFirst(" x\\d+$", "")));
        assertThat(outcomes).contains(
                "auth.login_success/accepted_password",
                "auth.login_success/accepted_publickey",
                "auth.login_success/pam_session_opened",
                "auth.login_failed/failed_password",
                "auth.login_failed/failed_none",
                "auth.login_failed/invalid_user",
                "auth.login_failed/pam_auth_failure",
                "auth.preauth_disconnect/too_many_auth_failures",
                "auth.logout/session_closed",
                "auth.logout/disconnected",
                "auth.preauth_disconnect/connection_closed",
                "auth.preauth_disconnect/disconnected",
                "auth.scan/no_identification_string",
                "auth.scan/closed_before_auth",
                "other",
                "unmatched");
    }

    @Test
    void malformedFixtureLineIsReportedWithItsNumber()
    {
        assertThatThrownBy(() -> parse(List.of("# comment", "no tab here")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fixtures/auth.log.expected line 2 is not OUTCOME<TAB>LINE: no tab here");
    }

    /** The fixture's lines, comments left out. */
    static List<FixtureLine> lines()
    {
        try (InputStream in = TestAuthLogFixture.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + RESOURCE + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<FixtureLine> parse(List<String> text)
    {
        List<FixtureLine> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String row = text.get(i);
            if (row.isEmpty() || row.startsWith("#")) {
                continue;
            }
            int tab = row.indexOf('\t');
            if (tab <= 0) {
                throw new IllegalArgumentException(RESOURCE + " line " + (i + 1) + " is not OUTCOME<TAB>LINE: " + row);
            }
            lines.add(new FixtureLine(i + 1, row.substring(0, tab), row.substring(tab + 1)));
        }
        return lines;
    }

    /** One outcome for the events of a line, with " xN" when there are several (all must agree). */
    private static String outcomes(List<Event> events)
    {
        Set<String> distinct = new TreeSet<>();
        events.forEach(event -> distinct.add(ParserHarness.outcome(event)));
        String joined = String.join("+", distinct);
        return events.size() == 1 ? joined : joined + " x" + events.size();
    }

    record FixtureLine(int number, String expected, String line) {}
}
