package io.outrider.plugin.sshd;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.support.testing.SyslogParserInvariants;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What must hold for any line whatsoever, checked by the fuzz and adversarial tests: the shared invariants, then sshd's. */
final class LineInvariants
{
    static final int MAX_FIELD_LENGTH = 64;
    static final int MAX_REPEAT_EVENTS = 20;
    static final SshdParserConfig CONFIG = new SshdParserConfig(null, "UTC", 64, MAX_FIELD_LENGTH, null, MAX_REPEAT_EVENTS, null, null);

    private static final Set<String> ACTIONS = Set.of(SshdFields.ACTION_LOGIN_FAILED, SshdFields.ACTION_LOGIN_SUCCESS, SshdFields.ACTION_LOGOUT,
            SshdFields.ACTION_PREAUTH_DISCONNECT, SshdFields.ACTION_SCAN);

    private LineInvariants() {}

    static void check(Event input, ParseResult result)
    {
        for (Event event : SyslogParserInvariants.check(input, result, MAX_REPEAT_EVENTS)) {
            Object action = event.field(Fields.EVENT_ACTION);
            if (action != null) {
                assertThat(ACTIONS).contains((String) action);
                assertThat(event.field(Fields.EVENT_OUTCOME)).isIn(Fields.OUTCOME_SUCCESS, Fields.OUTCOME_FAILURE);
                assertThat(event.field(Fields.EVENT_REASON)).isNotNull();
            }
            for (String capped : new String[] {Fields.USER_NAME, Fields.SOURCE_ADDRESS, SshdFields.KEY_TYPE, SshdFields.KEY_FINGERPRINT, SshdFields.AUTH_METHOD}) {
                String value = event.fieldAsString(capped);
                if (value != null) {
                    assertThat(value.length()).as("length of %s", capped).isLessThanOrEqualTo(MAX_FIELD_LENGTH);
                }
            }
            Object port = event.field(Fields.SOURCE_PORT);
            if (port != null) {
                assertThat((Integer) port).isBetween(0, 65_535);
            }
        }
    }
}
