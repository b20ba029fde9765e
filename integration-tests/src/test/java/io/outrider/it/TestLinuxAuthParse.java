package io.outrider.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code outrider parse --parser linux_auth FILE} with the assembled agent's own parser-linux-auth plugin. */
class TestLinuxAuthParse
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KERNEL_LINE = "Dec  5 14:50:01 host kernel: [12345.678] audit: type=1400 apparmor=\"DENIED\"";

    @Test
    void classifiesAnAuthLogAndListsWhatItLeavesUnmatched(@TempDir Path dir)
            throws Exception
    {
        Path log = Files.writeString(dir.resolve("auth.log"), String.join("\n",
                "Dec  5 14:03:01 host sudo:   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id",
                "Dec  5 14:13:02 host su[4250]: FAILED SU (to root) alice on pts/1",
                "Dec  5 14:30:00 host useradd[6000]: new user: name=dave, UID=1002, GID=1002, home=/home/dave, shell=/bin/bash, from=/dev/pts/0",
                KERNEL_LINE,
                "Dec  5 14:21:40 host login[902]: PAM 2 more authentication failures; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=198.51.100.9  user=alice",
                ""));

        Outrider.Result result = Outrider.run(dir, Map.of(), "parse", "--parser", "linux_auth", log.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).isEqualTo("line 4: unmatched: " + KERNEL_LINE + "\n5 lines: 4 became security events (5 events: account.created 1, auth.login_failed 2, privilege.denied 1, privilege.use 1), 0 kept as plain events, 1 unmatched, 0 errors\n");
        List<String> events = new ArrayList<>();
        for (String line : result.stdout().lines().toList()) {
            JsonNode event = JSON.readTree(line);
            events.add(event.path("event.action").asText() + " " + event.path("user.name").asText("-") + " -> "
                    + event.path("user.target.name").asText("-") + " " + event.path("source.ip").asText("-"));
        }
        assertThat(events).containsExactly(
                "privilege.use alice -> root -",
                "privilege.denied alice -> root -",
                "account.created - -> dave -",
                "auth.login_failed alice -> - 198.51.100.9",
                "auth.login_failed alice -> - 198.51.100.9");
    }
}
