package io.outrider.plugin.sshd;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.ParserHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The project's own variant corpus ({@code fixtures/sshd-variants.tsv}): per kind of line that real hosts write
 * (issue #25), the action, reason, user, address and port each line must give. The lines of one kind go through one
 * parser in order, so the kinds whose address only earlier lines of the PID know are tested as they happen.
 */
class TestSshdVariantCorpus
{
    static final String RESOURCE = "fixtures/sshd-variants.tsv";
    private static final String ABSENT = "-";

    /** Every kind the issue lists; the corpus must have each. */
    private static final List<String> KINDS_OF_THE_ISSUE = List.of(
            "failed_without_protocol", "failed_without_port", "failed_keyboard_interactive", "invalid_username_placeholder",
            "solaris_tag", "no_pid_tag", "missing_host", "busybox_syslogd", "sshd_session", "journal_framings",
            "pam_error_failure", "pam_error_authentication_error", "pam_error_via", "pam_user_not_known", "host_name_address",
            "leading_zero_address", "policy_denied", "too_many_failures", "username_change", "client_auth_fail",
            "scan_no_identification", "scan_bad_protocol_version", "scan_kex_exchange_identification",
            "scan_connection_reset_by_peer", "scan_read_from_socket_failed", "scan_unable_to_negotiate", "scan_protocol_errors");

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void kind(String kind, List<Row> rows)
    {
        ParserHarness harness = SshdHarness.create();
        for (Row row : rows) {
            Event event = harness.single(row.line());
            assertThat(ParserHarness.outcome(event)).as("outcome of line %d <%s>", row.number(), row.line()).isEqualTo(row.outcome());
            if (row.outcome().equals("other")) {
                continue;
            }
            assertThat(event.field(Fields.EVENT_OUTCOME)).as("event.outcome of line %d", row.number())
                    .isEqualTo(row.outcome().startsWith("auth.login_success") ? Fields.OUTCOME_SUCCESS : Fields.OUTCOME_FAILURE);
            assertThat(event.fieldAsString(Fields.USER_NAME)).as("user.name of line %d", row.number()).isEqualTo(orNull(row.user()));
            String address = event.fieldAsString(Fields.SOURCE_IP) != null ? event.fieldAsString(Fields.SOURCE_IP) : event.fieldAsString(Fields.SOURCE_DOMAIN);
            assertThat(address).as("source address of line %d", row.number()).isEqualTo(orNull(row.address()));
            assertThat(event.field(Fields.SOURCE_PORT)).as("source.port of line %d", row.number())
                    .isEqualTo(row.port().equals(ABSENT) ? null : Integer.valueOf(row.port()));
        }
    }

    @Test
    void everyKindOfTheIssueIsCovered()
    {
        assertThat(byKind().keySet()).containsExactlyInAnyOrderElementsOf(KINDS_OF_THE_ISSUE);
    }

    @Test
    void everyAttackLineNamesItsSource()
    {
        // what issue #25 measured: a line that is an attack becomes a failure (or scan) with the client's address
        for (List<Row> rows : byKind().values()) {
            for (Row row : rows) {
                if (!row.outcome().equals("other") && !row.outcome().startsWith("auth.login_success")) {
                    assertThat(row.address()).as("expected address of line %d", row.number()).isNotEqualTo(ABSENT);
                }
            }
        }
    }

    @Test
    void malformedRowIsReportedWithItsNumber()
    {
        assertThatThrownBy(() -> parse(List.of("# comment", "kind\tauth.scan/x\t-\t-")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fixtures/sshd-variants.tsv line 2 is not KIND<TAB>OUTCOME<TAB>USER<TAB>ADDRESS<TAB>PORT<TAB>LINE: kind\tauth.scan/x\t-\t-");
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> kinds()
    {
        return byKind().entrySet().stream().map(entry -> arguments(entry.getKey(), entry.getValue()));
    }

    private static Map<String, List<Row>> byKind()
    {
        Map<String, List<Row>> kinds = new LinkedHashMap<>();
        for (Row row : rows()) {
            kinds.computeIfAbsent(row.kind(), ignored -> new ArrayList<>()).add(row);
        }
        return kinds;
    }

    private static List<Row> rows()
    {
        try (InputStream in = TestSshdVariantCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + RESOURCE + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Row> parse(List<String> text)
    {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String row = text.get(i);
            if (row.isEmpty() || row.startsWith("#")) {
                continue;
            }
            String[] columns = row.split("\t", 6);
            if (columns.length != 6) {
                throw new IllegalArgumentException(RESOURCE + " line " + (i + 1) + " is not KIND<TAB>OUTCOME<TAB>USER<TAB>ADDRESS<TAB>PORT<TAB>LINE: " + row);
            }
            rows.add(new Row(i + 1, columns[0], columns[1], columns[2], columns[3], columns[4], columns[5]));
        }
        return rows;
    }

    private static String orNull(String column)
    {
        return column.equals(ABSENT) ? null : column;
    }

    record Row(int number, String kind, String outcome, String user, String address, String port, String line) {}
}
