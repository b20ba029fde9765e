package io.outrider.plugin.sshd;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every template runs in time linear in the line: by design (at most one quantifier that can backtrack, the rest
 * possessive or bounded; whole-line matching only), and by measurement of work rather than time (characters the
 * regex engine reads, through a counting {@link CharSequence}) on adversarial lines built from each template's own
 * pieces.
 */
class TestTemplateDesign
{
    /** A line each template matches, to build adversarial variants from. */
    private static final Map<String, String> SAMPLES = Map.ofEntries(
            Map.entry("failed_or_accepted", "Failed password for invalid user root from 1.2.3.4 port 22 ssh2: RSA SHA256:abc"),
            Map.entry("invalid_user", "Invalid user root from 1.2.3.4 port 22"),
            Map.entry("not_allowed_from", "User root from 1.2.3.4 not allowed because listed in DenyUsers"),
            Map.entry("not_allowed_account", "User root not allowed because shell /bin/x does not exist"),
            Map.entry("root_login_refused", "ROOT LOGIN REFUSED FROM 1.2.3.4 port 22"),
            Map.entry("refused_connect", "refused connect from host.example (1.2.3.4)"),
            Map.entry("too_many_failures_with_address", "Disconnecting invalid user root 1.2.3.4 port 22: Too many authentication failures"),
            Map.entry("too_many_failures", "Disconnecting: Too many authentication failures for invalid user root"),
            Map.entry("max_auth_attempts", "maximum authentication attempts exceeded for invalid user root from 1.2.3.4 port 22 ssh2"),
            Map.entry("pam_auth_failure", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root"),
            Map.entry("pam_more_failures", "PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root"),
            Map.entry("session_opened", "pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)"),
            Map.entry("session_closed", "pam_unix(sshd:session): session closed for user root"),
            Map.entry("disconnected", "Disconnected from invalid user root 1.2.3.4 port 22"),
            Map.entry("connection_closed", "Connection closed by invalid user root 1.2.3.4 port 22"),
            Map.entry("received_disconnect", "Received disconnect from 1.2.3.4 port 22:11: Bye Bye"),
            Map.entry("timeout", "Timeout before authentication for 1.2.3.4 port 22"),
            Map.entry("no_identification", "Did not receive identification string from 1.2.3.4 port 22"),
            Map.entry("banner_exchange", "banner exchange: Connection from 1.2.3.4 port 22: invalid format"),
            Map.entry("bad_protocol_version", "Bad protocol version identification 'GET / HTTP/1.1' from 1.2.3.4 port 22"),
            Map.entry("unable_to_negotiate", "Unable to negotiate with 1.2.3.4 port 22: no matching key exchange method found. Their offer: x"),
            Map.entry("connection_from", "Connection from 1.2.3.4 port 22 on 10.0.0.1 port 22 rdomain \"\""),
            Map.entry("input_userauth_invalid", "input_userauth_request: invalid user root"),
            Map.entry("reverse_mapping", "reverse mapping checking getaddrinfo for h.example [1.2.3.4] failed - POSSIBLE BREAK-IN ATTEMPT!"),
            Map.entry("address_maps", "Address 1.2.3.4 maps to h.example, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!"),
            Map.entry("protocol_mismatch", "Protocol major versions differ for 1.2.3.4 port 22: SSH-2.0-OpenSSH_9.6 vs. SSH-1.5-scanner"));

    /** Characters read per character of input: a linear matcher stays far below, a quadratic one grows with the line. */
    private static final int MAX_READS_PER_CHARACTER = 64;
    private static final int REPEATS = 400;

    @Test
    void everyTemplateHasASample()
    {
        assertThat(SshdClassifier.TEMPLATES.stream().map(Template::name)).containsExactlyInAnyOrderElementsOf(SAMPLES.keySet());
        Map<String, Template> byName = SshdClassifier.TEMPLATES.stream().collect(toMap(Template::name, template -> template));
        SAMPLES.forEach((name, sample) -> assertThat(byName.get(name).match(sample)).as("%s matches its sample", name).isNotNull());
    }

    @Test
    void atMostOneQuantifierMayBacktrack()
    {
        for (Template template : SshdClassifier.TEMPLATES) {
            assertThat(backtrackingQuantifiers(template.regex()))
                    .as("unbounded quantifiers that can give characters back in %s", template)
                    .hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void theDesignCheckRecognisesBacktrackingQuantifiers()
    {
        assertThat(backtrackingQuantifiers("a(.*) b(\\S+) c{2,} d*+ e++ f{1,5} [*+]")).containsExactly(".*", "\\S+", "c{2,}");
    }

    @Test
    void matchingWorkIsLinearOnAdversarialLines()
    {
        for (Template template : SshdClassifier.TEMPLATES) {
            String sample = SAMPLES.get(template.name());
            for (String line : adversarialLines(sample)) {
                CountingSequence counting = new CountingSequence(line);
                template.match(counting);
                assertThat(counting.reads)
                        .as("characters read by %s on a %d-character line", template.name(), line.length())
                        .isLessThanOrEqualTo((long) MAX_READS_PER_CHARACTER * line.length());
            }
        }
    }

    @Test
    void theWorkMeasureCatchesAQuadraticPattern()
    {
        Template quadratic = new Template("quadratic", "(.*) from (.*) port \\d+");
        CountingSequence counting = new CountingSequence("x" + " from 1.2.3.4".repeat(REPEATS) + " tail");
        quadratic.match(counting);
        assertThat(counting.reads).isGreaterThan((long) MAX_READS_PER_CHARACTER * counting.length());
    }

    private static List<String> adversarialLines(String sample)
    {
        int firstSpace = sample.indexOf(' ');
        String head = sample.substring(0, firstSpace + 1);
        String body = sample.substring(firstSpace + 1);
        List<String> lines = new ArrayList<>();
        // the body over and over: every " from ", " port ", ": " is a place to backtrack to
        lines.add(head + (body + " ").repeat(REPEATS).trim());
        // the same, failing only at the very end
        lines.add(head + (body + " ").repeat(REPEATS) + "\u0000");
        // the whole sample repeated, and the sample followed by junk
        lines.add((sample + " ").repeat(REPEATS).trim());
        lines.add(sample + " x".repeat(REPEATS * 10));
        // long runs of one character in place of the variable parts
        lines.add(head + "a".repeat(REPEATS * 20) + " " + body);
        lines.add(head + " ".repeat(REPEATS * 20) + body);
        lines.add(head + ":".repeat(REPEATS * 20) + " " + body);
        return lines;
    }

    /**
     * The quantifiers of a regex that are unbounded ({@code *}, {@code +}, {@code {n,}}) and not possessive, with
     * the atom they apply to (a group counts by its last atom, good enough for these templates).
     */
    static List<String> backtrackingQuantifiers(String regex)
    {
        List<String> found = new ArrayList<>();
        boolean inClass = false;
        int atomStart = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                atomStart = i;
                i++;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
                continue;
            }
            if (c == '[') {
                inClass = true;
                atomStart = i;
                continue;
            }
            boolean unbounded = false;
            int end = i;
            if (c == '*' || c == '+') {
                unbounded = true;
            }
            else if (c == '{') {
                int close = regex.indexOf('}', i);
                unbounded = regex.charAt(close - 1) == ',';
                end = close;
            }
            else {
                if (c != '?' && c != '(' && c != ')' && c != '|') {
                    atomStart = i;
                }
                continue;
            }
            boolean possessive = end + 1 < regex.length() && regex.charAt(end + 1) == '+';
            if (unbounded && !possessive) {
                found.add(regex.substring(atomStart, end + 1));
            }
            i = possessive ? end + 1 : end;
        }
        return found;
    }

    /** A {@link CharSequence} that counts how many characters the regex engine reads. */
    private static final class CountingSequence
            implements CharSequence
    {
        private final String text;
        long reads;

        CountingSequence(String text)
        {
            this.text = text;
        }

        @Override
        public int length()
        {
            return text.length();
        }

        @Override
        public char charAt(int index)
        {
            reads++;
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end)
        {
            return text.subSequence(start, end);
        }

        @Override
        public String toString()
        {
            return text;
        }
    }
}
