package io.outrider.plugin.sshd;

import io.outrider.spi.Event;
import io.outrider.spi.ParseResult;
import io.outrider.spi.testing.ParserHarness;
import io.outrider.support.testing.SharedCorpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accuracy over real logs: Loghub's OpenSSH_2k and Linux_2k samples, whose {@code _structured.csv} names the
 * template of every line. Every authentication-relevant template must get its classification, every other line of
 * sshd must get none, and lines of other programs must stay unmatched. Prints the table template → outcome → lines.
 */
class TestLoghubAccuracy
{
    private static final String UNMATCHED = "unmatched";
    private static final String OTHER = "other";
    private static final String FAILED_PASSWORD = "auth.login_failed/failed_password";
    private static final String PREAUTH_DISCONNECTED = "auth.preauth_disconnect/disconnected";
    private static final String SCAN_BEFORE_AUTH = "auth.scan/closed_before_auth";
    private static final String PAM_FAILURE = "auth.login_failed/pam_auth_failure";
    private static final String TOO_MANY = "auth.preauth_disconnect/too_many_auth_failures";

    /** OpenSSH_2k: every line is sshd's. Several outcomes are allowed where the session decides (user known or not). */
    private static final Map<String, Set<String>> OPENSSH_EXPECTED = Map.ofEntries(
            Map.entry("E1", Set.of("auth.login_success/accepted_password")),
            Map.entry("E2", Set.of("auth.preauth_disconnect/connection_closed", SCAN_BEFORE_AUTH)),
            Map.entry("E3", Set.of("auth.scan/no_identification_string")),
            // the end of a connection whose attempts were reported one by one
            Map.entry("E4", Set.of(TOO_MANY)),
            Map.entry("E5", Set.of(TOO_MANY)),
            // the client says it gave up authenticating (JSch's "Auth fail", code 14)
            Map.entry("E6", Set.of("auth.login_failed/client_auth_fail")),
            Map.entry("E7", Set.of("auth.login_failed/client_auth_fail")),
            Map.entry("E8", Set.of("auth.login_failed/failed_none")),
            Map.entry("E9", Set.of(FAILED_PASSWORD)),
            Map.entry("E10", Set.of(FAILED_PASSWORD)),
            // the connection of a client that named a user (or of none) died before authenticating
            Map.entry("E11", Set.of("auth.preauth_disconnect/connection_reset", SCAN_BEFORE_AUTH)),
            Map.entry("E12", Set.of(OTHER)),
            Map.entry("E13", Set.of("auth.login_failed/invalid_user")),
            Map.entry("E14", Set.of(FAILED_PASSWORD)),
            // PAM's summary adds the attempts sshd did not report: none here
            Map.entry("E15", Set.of(OTHER)),
            Map.entry("E16", Set.of(OTHER)),
            Map.entry("E17", Set.of(OTHER)),
            Map.entry("E18", Set.of(OTHER)),
            // PAM's report of an attempt sshd reports itself ("Failed password" next), but for the very first lines,
            // before the parser has seen that sshd's own lines come too
            Map.entry("E19", Set.of(OTHER, PAM_FAILURE)),
            Map.entry("E20", Set.of(OTHER, PAM_FAILURE)),
            Map.entry("E21", Set.of(OTHER)),
            Map.entry("E22", Set.of("auth.logout/session_closed")),
            // the login was already reported by "Accepted password" of the same process
            Map.entry("E23", Set.of(OTHER)),
            Map.entry("E24", Set.of(PREAUTH_DISCONNECTED, SCAN_BEFORE_AUTH)),
            Map.entry("E25", Set.of(PREAUTH_DISCONNECTED, SCAN_BEFORE_AUTH)),
            // before OpenSSH 7.2 the logout is PAM's "session closed" that follows
            Map.entry("E26", Set.of(OTHER)),
            Map.entry("E27", Set.of(OTHER)));

    /** Linux_2k: only the sshd(pam_unix) lines are sshd's; the same PAM templates of su, login, gdm are not. */
    private static final Map<String, Set<String>> LINUX_SSHD_EXPECTED = Map.of(
            "E16", Set.of(PAM_FAILURE),
            "E17", Set.of(PAM_FAILURE),
            "E18", Set.of(PAM_FAILURE),
            "E19", Set.of(PAM_FAILURE),
            "E27", Set.of(OTHER),
            "E101", Set.of("auth.logout/session_closed"),
            "E102", Set.of("auth.login_success/pam_session_opened"));

    @Test
    void openSshSample()
            throws IOException
    {
        Report report = run("OpenSSH_2k.log");
        List<String> problems = new ArrayList<>();
        report.outcomes.forEach((template, outcomes) -> {
            Set<String> expected = OPENSSH_EXPECTED.get(template.eventId);
            if (expected == null) {
                problems.add(template + " has no expectation");
                return;
            }
            outcomes.keySet().stream()
                    .filter(outcome -> !expected.contains(outcome))
                    .forEach(outcome -> problems.add(template + " → " + outcome + " × " + outcomes.get(outcome) + ", expected one of " + expected));
        });
        assertThat(problems).isEmpty();
        assertThat(report.outcomes.keySet()).extracting(Template::eventId).containsAll(OPENSSH_EXPECTED.keySet());
        // "message repeated 5 times" counts as 5 failures: 2 such lines
        assertThat(report.events.get(FAILED_PASSWORD)).isEqualTo(383 + 135 + 2 * 5);
        // one failed attempt, one event: PAM's lines repeat sshd's "Failed" lines, "Too many authentication failures"
        // ends a connection
        // ends a connection (1,224 events before, for the same lines)
        assertThat(report.events.entrySet().stream().filter(entry -> entry.getKey().startsWith("auth.login_failed/")).toList())
                .containsExactlyInAnyOrder(Map.entry(FAILED_PASSWORD, 528), Map.entry("auth.login_failed/invalid_user", 113),
                        Map.entry("auth.login_failed/client_auth_fail", 47), Map.entry("auth.login_failed/failed_none", 4));
    }

    @Test
    void linuxSample()
            throws IOException
    {
        Report report = run("Linux_2k.log");
        List<String> problems = new ArrayList<>();
        report.outcomes.forEach((template, outcomes) -> {
            Set<String> expected = template.component.equals("sshd(pam_unix)") ? LINUX_SSHD_EXPECTED.get(template.eventId) : Set.of(UNMATCHED);
            if (expected == null) {
                problems.add(template + " has no expectation");
                return;
            }
            outcomes.keySet().stream()
                    .filter(outcome -> !expected.contains(outcome))
                    .forEach(outcome -> problems.add(template + " → " + outcome + " × " + outcomes.get(outcome) + ", expected one of " + expected));
        });
        assertThat(problems).isEmpty();
        assertThat(report.events.get(PAM_FAILURE)).isEqualTo(117 + 17 + 351 + 4);
    }

    private static Report run(String logName)
            throws IOException
    {
        Path directory = SharedCorpus.loghub();
        List<String> lines = Files.readAllLines(directory.resolve(logName), StandardCharsets.UTF_8);
        List<String[]> rows = structuredRows(directory.resolve(logName + "_structured.csv"));
        assertThat(rows).hasSameSizeAs(lines);

        ParserHarness harness = SshdHarness.create();
        Report report = new Report();
        for (int i = 0; i < lines.size(); i++) {
            String[] row = rows.get(i);
            Template template = new Template(row[row.length - 2], row[row.length - 1], component(row, logName));
            ParseResult result = harness.parseLine(lines.get(i));
            String outcome;
            if (!result.isMatched()) {
                outcome = UNMATCHED;
            }
            else {
                assertThat(result.events()).as("events of line %s", i + 1).isNotEmpty();
                outcome = ParserHarness.outcome(result.events().get(0));
                for (Event event : result.events()) {
                    report.events.merge(ParserHarness.outcome(event), 1, Integer::sum);
                }
            }
            report.outcomes.computeIfAbsent(template, ignored -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
        }
        System.out.println(report.table(logName));
        return report;
    }

    private static String component(String[] row, String logName)
    {
        // OpenSSH: LineId,Date,Day,Time,Component,Pid,...; Linux: LineId,Month,Date,Time,Level,Component,PID,...
        return logName.startsWith("Linux") ? row[5] : row[4];
    }

    /** The rows of a Loghub structured CSV (quoted fields may hold commas), header skipped. */
    private static List<String[]> structuredRows(Path csv)
            throws IOException
    {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    }
                    else {
                        quoted = !quoted;
                    }
                }
                else if (c == ',' && !quoted) {
                    fields.add(field.toString());
                    field.setLength(0);
                }
                else {
                    field.append(c);
                }
            }
            fields.add(field.toString());
            rows.add(fields.toArray(String[]::new));
        }
        return rows;
    }

    private record Template(String eventId, String text, String component)
            implements Comparable<Template>
    {
        @Override
        public int compareTo(Template other)
        {
            int byNumber = Integer.compare(Integer.parseInt(eventId.substring(1)), Integer.parseInt(other.eventId.substring(1)));
            return byNumber != 0 ? byNumber : component.compareTo(other.component);
        }

        @Override
        public String toString()
        {
            return eventId + " [" + component + "] " + text;
        }
    }

    private static final class Report
    {
        final Map<Template, Map<String, Integer>> outcomes = new TreeMap<>();
        final Map<String, Integer> events = new TreeMap<>();

        String table(String logName)
        {
            StringBuilder out = new StringBuilder("\n== ").append(logName).append(": template -> action/reason -> lines ==\n");
            outcomes.forEach((template, byOutcome) -> byOutcome.forEach((outcome, lines) -> out.append(String.format("%-5s %-16s %-72.72s -> %-44s %5d%n",
                    template.eventId, template.component, template.text, outcome, lines))));
            out.append("-- events by action/reason --\n");
            events.forEach((outcome, count) -> out.append(String.format("%-50s %6d%n", outcome, count)));
            return out.toString();
        }
    }
}
