package io.outrider.plugin.linuxauth;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.spi.testing.ParserHarness;
import io.outrider.support.testing.SharedCorpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loghub's Linux_2k sample (Red Hat of 2005): Linux-PAM before 0.99 wrote pam_unix's lines under the program tag
 * {@code SERVICE(pam_unix)}. Those of su, login and gdm must become the events their modern form gives; sshd's are
 * the sshd parser's, and every other line stays unmatched. The expectation is counted from the text by hand.
 */
class TestLoghubLinuxSample
{
    @Test
    void legacyPamLinesOfLocalServicesAreClassified()
            throws IOException
    {
        List<String> lines = Files.readAllLines(SharedCorpus.loghub().resolve("Linux_2k.log"), StandardCharsets.UTF_8);
        ParserHarness harness = LinuxAuthHarness.create();
        Map<String, Integer> expected = new TreeMap<>();
        Map<String, Integer> parsed = new TreeMap<>();
        for (String line : lines) {
            int tag = line.indexOf("(pam_unix)[");
            if (tag > 0 && !line.substring(0, tag).endsWith(" sshd")) {
                String service = line.substring(line.lastIndexOf(' ', tag) + 1, tag);
                String outcome = line.contains(": session opened for user ") ? "session.opened/session_opened"
                        : line.contains(": session closed for user ") ? "session.closed/session_closed"
                        : line.contains(": authentication failure; ") ? (service.equals("su") ? "privilege.denied/auth_failure" : "auth.login_failed/pam_auth_failure")
                        : "unmatched";
                expected.merge(service + " " + outcome, 1, Integer::sum);
            }
            ParseResult result = harness.parseLine(line);
            if (result.isMatched()) {
                for (Event event : result.events()) {
                    parsed.merge(event.fieldAsString(Fields.SERVICE_NAME) + " " + ParserHarness.outcome(event), 1, Integer::sum);
                }
            }
            else if (tag > 0 && !line.substring(0, tag).endsWith(" sshd")) {
                parsed.merge(line.substring(line.lastIndexOf(' ', tag) + 1, tag) + " unmatched", 1, Integer::sum);
            }
        }
        // sshd(pam_unix) lines are sshd's: linux_auth alone classifies them as any service's
        parsed.keySet().removeIf(key -> key.startsWith("sshd "));

        assertThat(parsed).isEqualTo(expected);
        assertThat(expected).containsEntry("su session.opened/session_opened", 86).containsEntry("su session.closed/session_closed", 86)
                .containsEntry("login session.opened/session_opened", 1).containsEntry("gdm auth.login_failed/pam_auth_failure", 1);
    }
}
