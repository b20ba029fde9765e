package io.outrider.plugin.linuxauth;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.spi.SecurityActions;
import io.outrider.support.testing.SyslogParserInvariants;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What must hold for any line whatsoever, checked by the fuzz and adversarial tests: the shared invariants, then linux_auth's. */
final class LineInvariants
{
    static final int MAX_FIELD_LENGTH = 64;
    static final int MAX_REPEAT_EVENTS = 20;
    static final LinuxAuthParserConfig CONFIG = new LinuxAuthParserConfig(null, "UTC", MAX_FIELD_LENGTH, null, MAX_REPEAT_EVENTS, null);

    private static final Set<String> ACTIONS = Set.of(SecurityActions.LOGIN_FAILED, SecurityActions.SESSION_OPENED, SecurityActions.SESSION_CLOSED,
            SecurityActions.PRIVILEGE_USE, SecurityActions.PRIVILEGE_DENIED, SecurityActions.ACCOUNT_CREATED, SecurityActions.ACCOUNT_DELETED,
            SecurityActions.ACCOUNT_MODIFIED, SecurityActions.ACCOUNT_LOCKED, SecurityActions.ACCOUNT_UNLOCKED, SecurityActions.PASSWORD_CHANGED,
            SecurityActions.GROUP_CREATED, SecurityActions.GROUP_DELETED, SecurityActions.GROUP_MEMBER_ADDED, SecurityActions.GROUP_MEMBER_REMOVED);
    private static final String[] NAMES = {Fields.USER_NAME, Fields.USER_ID, Fields.USER_TARGET_NAME, Fields.USER_TARGET_ID, Fields.GROUP_NAME,
            Fields.PROCESS_TTY, Fields.SERVICE_NAME, Fields.SOURCE_DOMAIN};

    private LineInvariants() {}

    static void check(Event input, ParseResult result)
    {
        if (result != null && result.isMatched()) {
            assertThat(result.events()).isNotEmpty();
        }
        for (Event event : SyslogParserInvariants.check(input, result, MAX_REPEAT_EVENTS)) {
            // every match is a classified event: the parser never returns a line it only half understood
            assertThat(ACTIONS).contains((String) event.field(Fields.EVENT_ACTION));
            assertThat(event.field(Fields.EVENT_OUTCOME)).isIn(Fields.OUTCOME_SUCCESS, Fields.OUTCOME_FAILURE);
            assertThat((String) event.field(Fields.EVENT_REASON)).isNotEmpty();
            assertThat(event.field(Fields.EVENT_MODULE)).isEqualTo(LinuxAuthParser.MODULE);
            for (String name : NAMES) {
                String value = event.fieldAsString(name);
                if (value != null) {
                    assertThat(value).as(name).isNotEmpty();
                    assertThat(value.length()).as("length of %s", name).isLessThanOrEqualTo(MAX_FIELD_LENGTH);
                }
            }
            for (String id : new String[] {Fields.USER_ID, Fields.USER_TARGET_ID}) {
                String value = event.fieldAsString(id);
                if (value != null) {
                    assertThat(value).as(id).matches("[0-9]+");
                }
            }
            for (String name : new String[] {Fields.USER_TARGET_NAME, Fields.GROUP_NAME, Fields.PROCESS_TTY, Fields.SERVICE_NAME}) {
                String value = event.fieldAsString(name);
                if (value != null) {
                    assertThat(value).as("%s has no white space", name).doesNotContain(" ", "\t", "\n");
                }
            }
        }
    }
}
