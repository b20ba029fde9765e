package io.outrider.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain the default pipeline and the LiteSOC example use: the real file input, the sshd parser, then the
 * linux_auth parser, in a running agent. One line is at most one event: sshd's PAM session lines are the sshd
 * parser's to count, its lockout lines are linux_auth's.
 */
class TestSshdThenLinuxAuth
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH_LOG = """
            Dec  5 08:01:12 web-01 sshd[2301]: Accepted password for alice from 198.51.100.23 port 51514 ssh2
            Dec  5 08:01:12 web-01 sshd[2301]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)
            Dec  5 08:02:00 web-01 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id
            Dec  5 08:02:00 web-01 sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)
            Dec  5 08:03:00 web-01 systemd-logind[611]: New session 14 of user alice.
            Dec  5 08:04:00 web-01 sshd[2400]: pam_faillock(sshd:auth): Consecutive login failures for user bob account temporarily locked
            Dec  5 08:05:00 web-01 sshd[2301]: pam_unix(sshd:session): session closed for user alice
            Dec  5 08:06:00 web-01 useradd[2500]: new user: name=dave, UID=1002, GID=1002, home=/home/dave, shell=/bin/bash
            """;

    @Test
    void eachLineIsClassifiedOnceByTheParserThatKnowsIt(@TempDir Path dir)
            throws Exception
    {
        Path log = Files.writeString(dir.resolve("auth.log"), AUTH_LOG);
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { data_dir: %s }
                pipelines:
                  security:
                    inputs:
                      auth_log: { type: file, paths: ["%s"], read_from: beginning }
                    parsers:
                      sshd: { type: sshd }
                      linux_auth: { type: linux_auth }
                    unmatched: drop
                    outputs:
                      console: { type: console, format: json, delivery: { max_wait: 50ms } }
                """.formatted(dir.resolve("data"), log));

        Outrider agent = Outrider.start(dir, Map.of(), "run", "-c", config.toString());
        // every line but logind's makes an event: 7 (sshd's kept session line has no action and is counted too)
        List<String> lines = agent.awaitStdout(output -> output.size() >= 7, Duration.ofSeconds(60), "seven events");
        agent.signal("TERM");
        assertThat(agent.waitFor(Duration.ofSeconds(30))).as(agent.stderr()).isZero();

        List<String> events = new ArrayList<>();
        for (String line : agent.stdout().lines().toList()) {
            JsonNode event = JSON.readTree(line);
            events.add(event.path("event.module").asText() + " " + event.path("event.action").asText("-") + " " + event.path("user.name").asText("-")
                    + " -> " + event.path("user.target.name").asText("-"));
        }
        assertThat(lines).isNotEmpty();
        assertThat(events).containsExactly(
                "sshd auth.login_success alice -> -",
                // reported with the Accepted line: kept by the sshd parser without an action, not a second login
                "sshd - - -> -",
                "linux_auth privilege.use alice -> root",
                "linux_auth session.opened alice -> root",
                "linux_auth account.locked - -> bob",
                "sshd auth.logout alice -> -",
                "linux_auth account.created - -> dave");
    }
}
