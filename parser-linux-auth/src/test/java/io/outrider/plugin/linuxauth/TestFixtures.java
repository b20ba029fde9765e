package io.outrider.plugin.linuxauth;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.spi.testing.ParserHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's own fixtures in the framings of Debian, RHEL and Alpine: each line with the action, reason and
 * fields it must give (see the header of {@code debian-auth.log.expected}). One parser reads a whole file, in order,
 * as it would a log.
 */
class TestFixtures
{
    /** The short names the fixtures use, and the fields they stand for; a field not listed must be absent. */
    private static final Map<String, String> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("user", Fields.USER_NAME);
        FIELDS.put("uid", Fields.USER_ID);
        FIELDS.put("ruid", LinuxAuthParser.PROCESS_REAL_USER_ID);
        FIELDS.put("target", Fields.USER_TARGET_NAME);
        FIELDS.put("tid", Fields.USER_TARGET_ID);
        FIELDS.put("group", Fields.GROUP_NAME);
        FIELDS.put("ip", Fields.SOURCE_IP);
        FIELDS.put("domain", Fields.SOURCE_DOMAIN);
        FIELDS.put("tty", Fields.PROCESS_TTY);
        FIELDS.put("cwd", Fields.PROCESS_WORKING_DIRECTORY);
        FIELDS.put("cmd", Fields.PROCESS_COMMAND_LINE);
        FIELDS.put("service", Fields.SERVICE_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-auth.log.expected", "rhel-secure.expected", "alpine-messages.expected"})
    void everyLineGivesItsExpectedEvent(String fixture)
            throws IOException
    {
        ParserHarness harness = LinuxAuthHarness.create();
        List<String> failures = new ArrayList<>();
        int lines = 0;
        for (String row : read(fixture)) {
            if (row.isEmpty() || row.startsWith("#")) {
                continue;
            }
            lines++;
            String[] columns = row.split("\t", -1);
            String expected = columns[0];
            String line = columns[columns.length - 1];
            Map<String, String> expectedFields = new LinkedHashMap<>();
            for (int i = 1; i < columns.length - 1; i++) {
                int equals = columns[i].indexOf('=');
                String name = FIELDS.get(columns[i].substring(0, equals));
                assertThat(name).as("field name in %s", columns[i]).isNotNull();
                expectedFields.put(name, columns[i].substring(equals + 1));
            }
            Event input = ParserHarness.fileEvent(LinuxAuthHarness.READ_AT, line);
            ParseResult result = harness.parse(input);
            String actual = describe(result);
            if (!actual.equals(expected)) {
                failures.add(expected + " expected but " + actual + ": " + line);
                continue;
            }
            if (!result.isMatched()) {
                continue;
            }
            for (Event event : result.events()) {
                Map<String, String> actualFields = new LinkedHashMap<>();
                for (String name : FIELDS.values()) {
                    if (event.field(name) != null) {
                        actualFields.put(name, String.valueOf(event.field(name)));
                    }
                }
                if (!actualFields.equals(expectedFields)) {
                    failures.add("fields " + expectedFields + " expected but " + actualFields + ": " + line);
                }
                assertThat(event.field(Fields.EVENT_ORIGINAL)).isEqualTo(line);
                assertThat(event.field(Fields.EVENT_MODULE)).isEqualTo("linux_auth");
                assertThat(event.field(Fields.LOG_SYSLOG_HOSTNAME)).isNotNull();
                assertThat(event.timestamp()).isNotEqualTo(LinuxAuthHarness.READ_AT);
            }
        }
        assertThat(lines).isGreaterThan(5);
        assertThat(failures).isEmpty();
    }

    private static String describe(ParseResult result)
    {
        if (!result.isMatched()) {
            return "unmatched";
        }
        Event first = result.events().get(0);
        String outcome = ParserHarness.outcome(first);
        return result.events().size() == 1 ? outcome : outcome + " x" + result.events().size();
    }

    private static List<String> read(String fixture)
            throws IOException
    {
        try (InputStream in = TestFixtures.class.getResourceAsStream("fixtures/" + fixture)) {
            assertThat(in).as(fixture).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
