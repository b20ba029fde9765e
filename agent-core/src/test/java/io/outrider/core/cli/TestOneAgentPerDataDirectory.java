package io.outrider.core.cli;

import io.outrider.core.AgentVersion;
import io.outrider.core.plugin.PluginJars;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code outrider run} processes on one data directory would each read the same files from the same checkpoints
 * and deliver the same backlog: the second one refuses to start, says who holds the directory, and starts once the
 * first is gone, even when it was killed with SIGKILL.
 */
@Timeout(120)
class TestOneAgentPerDataDirectory
{
    @Test
    void aSecondAgentOnTheSameDataDirectoryRefusesToStartUntilTheFirstIsGone(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin",
                SpiVersion.CURRENT);
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s, shutdown_timeout: 2s }
                pipelines:
                  numbers:
                    inputs: { count: { type: counter, count: 3 } }
                    outputs: { out: { type: console, delivery: { max_wait: 10ms } } }
                """.formatted(plugins, dir.resolve("data")));
        AgentProcess first = AgentProcess.start(dir.resolve("first"), Map.of(), "run", "-c", config.toString());
        try {
            first.awaitStdoutLines(3, Duration.ofSeconds(60));

            AgentProcess.Result second = AgentProcess.run(dir.resolve("second"), Map.of(), "run", "-c", config.toString());

            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.stderr()).containsPattern(Pattern.compile("ERROR +RunCommand: agent cannot start: data_dir " + Pattern.quote(dir.resolve("data").toString())
                    + " is in use by another process \\(pid " + first.pid() + ": outrider run, since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\): two agents on one data"
                    + " directory would read the same files again and send the same events twice; stop that agent first, or give this one its own agent.data_dir\n"));
            assertThat(second.stderr()).doesNotContain("started");
            assertThat(second.stdout()).isEmpty();
        }
        finally {
            first.kill();
        }

        // the lock died with the first agent: its file, left behind, keeps nobody out
        assertThat(dir.resolve("data").resolve("agent.lock")).exists();
        AgentProcess third = AgentProcess.start(dir.resolve("third"), Map.of(), "run", "-c", config.toString());
        try {
            awaitStderr(third, "agent " + AgentVersion.get() + " started");
        }
        finally {
            third.terminate();
            assertThat(third.waitFor(Duration.ofSeconds(60))).isZero();
        }
        assertThat(third.stderr()).doesNotContain("in use");
    }

    private static void awaitStderr(AgentProcess agent, String text)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!agent.stderr().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' on standard error within 60 s:\n" + agent.stderr());
            }
            Thread.sleep(50);
        }
    }
}
