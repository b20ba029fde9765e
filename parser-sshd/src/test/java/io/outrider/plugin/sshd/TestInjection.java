package io.outrider.plugin.sshd;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.ParserHarness;
import org.junit.jupiter.api.Test;

import static io.outrider.spi.testing.ParserHarness.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * User names are chosen by the client ({@code ssh -l 'Invalid user root from 1.2.3.4' host}) and sshd writes them
 * before the real address: the parser must take the address sshd wrote, never one inside the user name.
 */
class TestInjection
{
    private static final String PREFIX = "Nov 22 14:03:07 web1 sshd[4242]: ";
    private static final String REAL_IP = "203.0.113.50";

    private final ParserHarness harness = SshdHarness.create();

    @Test
    void invalidUserWhoseNameLooksLikeAnotherInvalidUserLine()
    {
        Event event = harness.single(PREFIX + "Invalid user Invalid user root from 1.2.3.4 from " + REAL_IP + " port 5555");
        assertThat(outcome(event)).isEqualTo("auth.login_failed/invalid_user");
        assertThat(event.fields())
                .containsEntry(Fields.USER_NAME, "Invalid user root from 1.2.3.4")
                .containsEntry(Fields.SOURCE_IP, REAL_IP)
                .containsEntry(Fields.SOURCE_PORT, 5555);
    }

    @Test
    void userNameWithAnAddressAndPortOfItsOwn()
    {
        Event event = harness.single(PREFIX + "Failed password for invalid user root from 1.2.3.4 port 22 ssh2 from " + REAL_IP + " port 5556 ssh2");
        assertThat(event.fields())
                .containsEntry(Fields.USER_NAME, "root from 1.2.3.4 port 22 ssh2")
                .containsEntry(Fields.SOURCE_IP, REAL_IP)
                .containsEntry(Fields.SOURCE_PORT, 5556);
    }

    @Test
    void oldFormatWithoutPortStillTakesTheLastAddress()
    {
        Event event = harness.single(PREFIX + "Invalid user x from 1.2.3.4 port 22 from " + REAL_IP);
        assertThat(event.fields())
                .containsEntry(Fields.USER_NAME, "x from 1.2.3.4 port 22")
                .containsEntry(Fields.SOURCE_IP, REAL_IP)
                .doesNotContainKey(Fields.SOURCE_PORT);
    }

    @Test
    void userNameThatSpellsASuccessfulLoginIsStillAFailure()
    {
        Event event = harness.single(PREFIX + "Failed password for invalid user Accepted password for root from 1.2.3.4 port 22 ssh2 from " + REAL_IP + " port 5557 ssh2");
        assertThat(outcome(event)).isEqualTo("auth.login_failed/failed_password");
        assertThat(event.fields()).containsEntry(Fields.SOURCE_IP, REAL_IP).containsEntry(SshdFields.INVALID_USER, true);
    }

    @Test
    void userNameThatSpellsAKeyFingerprint()
    {
        Event event = harness.single(PREFIX + "Failed publickey for invalid user x from 1.2.3.4 port 22 ssh2: RSA SHA256:forged from " + REAL_IP + " port 5558 ssh2");
        assertThat(event.fields())
                .containsEntry(Fields.SOURCE_IP, REAL_IP)
                .doesNotContainKey(SshdFields.KEY_FINGERPRINT);
    }

    @Test
    void injectionInPreauthEndings()
    {
        Event tooMany = harness.single(PREFIX + "Disconnecting invalid user a 1.2.3.4 port 22: Too many authentication failures " + REAL_IP + " port 5559: Too many authentication failures [preauth]");
        assertThat(tooMany.fields()).containsEntry(Fields.SOURCE_IP, REAL_IP).containsEntry(Fields.SOURCE_PORT, 5559);

        Event closed = harness.single("Nov 22 14:03:08 web1 sshd[4243]: Connection closed by invalid user x 1.2.3.4 port 1 " + REAL_IP + " port 5560 [preauth]");
        assertThat(outcome(closed)).isEqualTo("auth.preauth_disconnect/connection_closed");
        assertThat(closed.fields()).containsEntry(Fields.USER_NAME, "x 1.2.3.4 port 1").containsEntry(Fields.SOURCE_IP, REAL_IP);

        Event disconnected = harness.single("Nov 22 14:03:09 web1 sshd[4244]: Disconnected from invalid user y 1.2.3.4 port 2 " + REAL_IP + " port 5561 [preauth]");
        assertThat(disconnected.fields()).containsEntry(Fields.USER_NAME, "y 1.2.3.4 port 2").containsEntry(Fields.SOURCE_IP, REAL_IP);

        Event maximum = harness.single("Nov 22 14:03:10 web1 sshd[4245]: error: maximum authentication attempts exceeded for invalid user z from 1.2.3.4 port 3 ssh2 from "
                + REAL_IP + " port 5562 ssh2 [preauth]");
        assertThat(outcome(maximum)).isEqualTo("other");
        Event ended = harness.single("Nov 22 14:03:10 web1 sshd[4245]: Disconnecting: Too many authentication failures [preauth]");
        assertThat(ended.fields()).containsEntry(Fields.SOURCE_IP, REAL_IP).containsEntry(Fields.SOURCE_PORT, 5562);
    }

    @Test
    void userNameEndingInPreauthMarker()
    {
        Event event = harness.single("Nov 22 14:03:11 web1 sshd[4246]: Disconnecting: Too many authentication failures for invalid user x [preauth] [preauth]");
        assertThat(event.fields()).containsEntry(Fields.USER_NAME, "x [preauth]");
    }

    @Test
    void clientIdentificationCannotSupplyTheAddress()
    {
        Event event = harness.single(PREFIX + "Bad protocol version identification 'x' from 1.2.3.4 port 22' from " + REAL_IP + " port 5563");
        assertThat(event.fields()).containsEntry(Fields.SOURCE_IP, REAL_IP).containsEntry(Fields.SOURCE_PORT, 5563);
    }

    @Test
    void controlCharactersInAUserNameDoNotHideTheAttempt()
    {
        Event event = harness.parse(harness.journalEvent("sshd", 77, "Failed password for invalid user a\nAccepted password for root from 1.2.3.4 port 22 ssh2 from "
                + REAL_IP + " port 5564 ssh2")).events().get(0);
        assertThat(outcome(event)).isEqualTo("auth.login_failed/failed_password");
        assertThat(event.fields()).containsEntry(Fields.SOURCE_IP, REAL_IP);
    }

    @Test
    void forgedAddressThatIsNotAnAddress()
    {
        // "from" followed by text that is no address: not a line sshd wrote
        Event event = harness.single(PREFIX + "Failed password for root from 1.2.3.4.5 port 22 ssh2");
        assertThat(outcome(event)).isEqualTo("other");
    }

    @Test
    void lineWithoutProtocolTakesTheLastAddressEvenWhenTheUserNameHasAWholeTail()
    {
        Event event = harness.single(PREFIX + "Failed password for x from 1.2.3.4 port 22 ssh2: from " + REAL_IP + " port 5565");
        assertThat(outcome(event)).isEqualTo("auth.login_failed/failed_password");
        assertThat(event.fields())
                .containsEntry(Fields.USER_NAME, "x from 1.2.3.4 port 22 ssh2:")
                .containsEntry(Fields.SOURCE_IP, REAL_IP)
                .containsEntry(Fields.SOURCE_PORT, 5565);

        Event withoutPort = harness.single("Nov 22 14:03:08 web1 sshd[4249]: Failed password for invalid user y from 1.2.3.4 port 22 from " + REAL_IP);
        assertThat(withoutPort.fields())
                .containsEntry(Fields.USER_NAME, "y from 1.2.3.4 port 22")
                .containsEntry(Fields.SOURCE_IP, REAL_IP)
                .doesNotContainKey(Fields.SOURCE_PORT);
    }

    @Test
    void pamErrorTakesTheLastAddress()
    {
        Event event = harness.single(PREFIX + "error: PAM: Authentication failure for illegal user a from 1.2.3.4 via 5.6.7.8 from " + REAL_IP);
        assertThat(outcome(event)).isEqualTo("auth.login_failed/pam_auth_failure");
        assertThat(event.fields()).containsEntry(Fields.USER_NAME, "a from 1.2.3.4 via 5.6.7.8").containsEntry(Fields.SOURCE_IP, REAL_IP);

        Event via = harness.single("Nov 22 14:03:12 mac sshd[4250]: error: PAM: authentication error for illegal user b for c from 1.2.3.4 from " + REAL_IP + " via 10.0.0.1");
        assertThat(via.fields()).containsEntry(Fields.USER_NAME, "b for c from 1.2.3.4").containsEntry(Fields.SOURCE_IP, REAL_IP);
    }

    @Test
    void changeOfUsernameWithTheMarkerInAUserNameTakesTheAddressFromTheProcess()
    {
        String forged = "Disconnecting invalid user a 1.2.3.4 port 1: Change of username or service not allowed: (a,x) -> (b " + REAL_IP
                + " port 5566: Change of username or service not allowed: (a 1.2.3.4 port 1: Change of username or service not allowed: (a,x) -> (b,ssh-connection) [preauth]";
        Event unknown = harness.single("Nov 22 14:03:13 web1 sshd[4251]: " + forged);
        assertThat(outcome(unknown)).isEqualTo("auth.login_failed/username_change");
        assertThat(unknown.fields()).doesNotContainKey(Fields.SOURCE_IP).doesNotContainKey(Fields.USER_NAME);

        harness.single("Nov 22 14:03:14 web1 sshd[4252]: Invalid user a from " + REAL_IP + " port 5567");
        Event known = harness.single("Nov 22 14:03:14 web1 sshd[4252]: " + forged);
        assertThat(known.fields()).containsEntry(Fields.SOURCE_IP, REAL_IP).containsEntry(Fields.SOURCE_PORT, 5567).containsEntry(Fields.USER_NAME, "a");
    }

    @Test
    void protocolErrorTakesTheAddressBeforeSshdsOwnText()
    {
        Event event = harness.single(PREFIX + "ssh_dispatch_run_fatal: Connection from invalid user x 1.2.3.4 port 22: y " + REAL_IP + " port 5568: Connection corrupted [preauth]");
        assertThat(outcome(event)).isEqualTo("auth.preauth_disconnect/protocol_error");
        assertThat(event.fields()).containsEntry(Fields.USER_NAME, "x 1.2.3.4 port 22: y").containsEntry(Fields.SOURCE_IP, REAL_IP);
    }

    @Test
    void clientDisconnectTextCannotSupplyTheAddress()
    {
        Event event = harness.single(PREFIX + "Received disconnect from " + REAL_IP + " port 5569:3: Auth fail from 1.2.3.4 port 22 [preauth]");
        assertThat(outcome(event)).isEqualTo("auth.login_failed/client_auth_fail");
        assertThat(event.fields()).containsEntry(Fields.SOURCE_IP, REAL_IP).containsEntry(Fields.SOURCE_PORT, 5569);
    }
}
