package io.outrider.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code outrider run} with no configuration, on a fresh data directory: what a newcomer sees first. */
class TestDefaultRun
{
    @Test
    void printsAuthenticationEventsWithinSecondsAndStopsCleanlyOnCtrlC(@TempDir Path dir)
            throws Exception
    {
        Outrider agent = Outrider.start(dir, Map.of("HOME", dir.toString()), "run");
        List<String> lines = agent.awaitStdout(output -> output.size() >= 3, Duration.ofSeconds(60), "the first events");
        agent.signal("INT");

        assertThat(agent.waitFor(Duration.ofSeconds(30))).as(agent.stderr()).isZero();
        if (Files.exists(dir.resolve("data").resolve("samples").resolve("auth.log"))) {
            // no system auth log with content here: the bundled sample went through the sshd parser
            assertThat(agent.stdout()).contains("auth.login_success", "auth.login_failed", "source.ip=203.0.113.42", "user.name=root");
        }
        assertThat(lines).isNotEmpty();
    }
}
