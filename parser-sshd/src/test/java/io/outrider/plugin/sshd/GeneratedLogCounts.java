package io.outrider.plugin.sshd;

import io.outrider.spi.Event;
import io.outrider.spi.ParseResult;
import io.outrider.spi.testing.ParserHarness;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares what the parser makes of a log from the project's generator, {@code bench/gen-auth-log.py}, with the
 * generator's {@code --counts} ground truth. Used by {@link TestGeneratedAuthLog} and, through {@link #main}, by
 * {@code bench/parser-sshd-jmh.sh}.
 */
final class GeneratedLogCounts
{
    private static final Pattern JSON_COUNT = Pattern.compile("\"([a-z_]+)\":\\s*(\\d+)");

    private GeneratedLogCounts() {}

    /**
     * What the parser must make of the generator's kinds of line (outcome → events). {@code pamLinesFirst}: PAM's
     * {@code authentication failure} lines before sshd's first own line, which count because the parser does not
     * know yet that sshd reports the same attempts ({@link #pamLinesBeforeSshdLines}).
     */
    static Map<String, Long> expected(Map<String, Long> generated, long pamLinesFirst)
    {
        Map<String, Long> expected = new TreeMap<>();
        // "message repeated N times: [ Failed password ...]" stands for N failures
        expected.put("auth.login_failed/failed_password",
                count(generated, "failed_password") + count(generated, "failed_password_invalid") + count(generated, "repeated_failures"));
        expected.put("auth.login_failed/failed_keyboard_interactive", count(generated, "failed_keyboard_interactive"));
        expected.put("auth.login_failed/invalid_user", count(generated, "invalid_user"));
        // sshd reports each attempt itself: PAM's report of the same ones ("authentication failure", then "PAM N more
        // authentication failures" at the end) adds none, and "maximum authentication attempts exceeded" follows the
        // last attempt; "Too many authentication failures" ends the connection
        expected.put("auth.login_failed/pam_auth_failure", pamLinesFirst);
        expected.put("auth.preauth_disconnect/too_many_auth_failures", count(generated, "too_many_failures_disconnect"));
        expected.put("auth.login_success/accepted_publickey", count(generated, "accepted_publickey"));
        expected.put("auth.login_success/accepted_password", count(generated, "accepted_password"));
        expected.put("auth.login_success/accepted_keyboard_interactive", count(generated, "accepted_keyboard_interactive"));
        // one logout per session: "Disconnected from user"; PAM's "session closed" after it is not a second one
        expected.put("auth.logout/disconnected", count(generated, "disconnected_user"));
        expected.put("auth.preauth_disconnect/connection_closed", count(generated, "closed_authenticating") + count(generated, "closed_invalid"));
        expected.put("auth.preauth_disconnect/disconnected", count(generated, "disconnected_authenticating") + count(generated, "disconnected_invalid"));
        expected.put("auth.scan/closed_before_auth", count(generated, "closed_before_auth"));
        expected.put("auth.scan/no_identification_string", count(generated, "no_identification"));
        // context of a session already reported: PAM's session lines, "Received disconnect"
        expected.put("other", count(generated, "session_opened") + count(generated, "session_closed")
                + count(generated, "received_disconnect_preauth") + count(generated, "received_disconnect_user")
                + count(generated, "pam_auth_failure") - pamLinesFirst + count(generated, "pam_more_failures") + count(generated, "max_auth_attempts"));
        // cron, sudo, su, systemd-logind
        expected.put("unmatched", count(generated, "other_program"));
        expected.values().removeIf(events -> events == 0);
        return expected;
    }

    /** Events by outcome ({@code action/reason}, {@code other} for sshd lines without action, {@code unmatched}). */
    static Map<String, Long> measure(Path log)
            throws IOException
    {
        ParserHarness harness = SshdHarness.create();
        Map<String, Long> counts = new TreeMap<>();
        try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                ParseResult result = harness.parseLine(line);
                if (!result.isMatched()) {
                    counts.merge("unmatched", 1L, Long::sum);
                    continue;
                }
                for (Event event : result.events()) {
                    counts.merge(ParserHarness.outcome(event), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /** PAM's {@code authentication failure} lines of sshd before sshd's first line of its own in the log. */
    static long pamLinesBeforeSshdLines(Path log)
            throws IOException
    {
        long count = 0;
        try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                int text = line.indexOf("]: ");
                if (!line.contains(" sshd[") || text < 0) {
                    continue;
                }
                if (!line.startsWith("pam_unix(sshd:auth): authentication failure;", text + 3)) {
                    break;
                }
                count++;
            }
        }
        return count;
    }

    static Map<String, Long> readGeneratorCounts(Path json)
            throws IOException
    {
        Map<String, Long> counts = new LinkedHashMap<>();
        Matcher matcher = JSON_COUNT.matcher(Files.readString(json, StandardCharsets.UTF_8));
        while (matcher.find()) {
            counts.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return counts;
    }

    /** Prints expected and measured events side by side; exits 1 on any difference. */
    public static void main(String[] args)
            throws IOException
    {
        if (args.length != 2) {
            System.err.println("usage: GeneratedLogCounts LOG COUNTS_JSON");
            System.exit(2);
        }
        Map<String, Long> expected = expected(readGeneratorCounts(Path.of(args[1])), pamLinesBeforeSshdLines(Path.of(args[0])));
        Map<String, Long> measured = measure(Path.of(args[0]));
        Map<String, Long> all = new TreeMap<>(expected);
        measured.forEach(all::putIfAbsent);
        boolean exact = true;
        System.out.printf("%-44s %10s %10s%n", "outcome", "expected", "parsed");
        for (String outcome : all.keySet()) {
            long want = expected.getOrDefault(outcome, 0L);
            long got = measured.getOrDefault(outcome, 0L);
            exact &= want == got;
            System.out.printf("%-44s %10d %10d%s%n", outcome, want, got, want == got ? "" : "  MISMATCH");
        }
        System.out.println(exact ? "match counts: exact" : "match counts: MISMATCH");
        if (!exact) {
            System.exit(1);
        }
    }

    private static long count(Map<String, Long> counts, String kind)
    {
        return counts.getOrDefault(kind, 0L);
    }
}
