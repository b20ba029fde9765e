package io.outrider.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/make-distribution: an agent with only chosen plugins (core + input-file + parser-sshd + output-http) that
 * starts, delivers, and turns away a configuration naming a plugin it does not have, saying so.
 */
class TestCustomDistribution
{
    @Test
    void assemblesOnlyTheChosenPluginsAndRejectsAConfigNamingAMissingOne(@TempDir Path temp)
            throws Exception
    {
        Distribution full = Distribution.unpack(temp.resolve("full"));
        Path customHome = temp.resolve("outrider-ssh");
        Path tarball = temp.resolve("outrider-ssh.tar.gz");

        Commands.Result make = Commands.run(temp, Map.of("JAVA_HOME", Path.of(System.getProperty("java.home")).toString(), "OUTRIDER_DATA_DIR", temp.resolve("check").toString()),
                Distribution.COMMAND_TIMEOUT, full.path("bin/make-distribution").toString(),
                "--plugins", "input-file,parser-sshd,parser-linux-auth", "--plugins", "output-http", "--output", customHome.toString(), "--tar", tarball.toString());
        assertThat(make.exitCode()).as(make.describe()).isZero();
        assertThat(make.stdout()).contains("with plugins: input-file output-http parser-linux-auth parser-sshd");
        // the shipped default configuration needs only these, so no warning
        assertThat(make.stderr()).isEmpty();
        assertThat(tarball).isRegularFile();

        Distribution custom = Distribution.at(customHome);
        assertThat(TestTarball.fileNames(custom.path("plugins"))).containsExactly("input-file", "output-http", "parser-linux-auth", "parser-sshd");
        assertThat(custom.path("lib/agent-core-" + Distribution.version() + ".jar")).isRegularFile();

        Path data = temp.resolve("data");
        Path log = temp.resolve("auth.log");
        Files.writeString(log, "Oct 10 13:55:36 host sshd[4242]: Failed password for invalid user admin from 203.0.113.9 port 52022 ssh2\n", StandardCharsets.UTF_8);
        try (LoopbackCollector collector = LoopbackCollector.start()) {
            Path config = temp.resolve("ssh.yaml");
            Files.writeString(config, """
                    pipelines:
                      ssh_auth:
                        inputs:
                          auth_log: { type: file, paths: ["%s"], read_from: beginning }
                        parsers:
                          sshd: { type: sshd }
                        unmatched: drop
                        outputs:
                          collector: { type: http, format: ndjson, endpoint: %s, delivery: { max_wait: 200ms } }
                    """.formatted(log, collector.endpoint("/events")), StandardCharsets.UTF_8);
            try (AgentProcess agent = custom.start(config, data, Map.of())) {
                List<String> events = collector.awaitLines(1, Duration.ofSeconds(60));
                assertThat(events).as(agent.describe()).hasSize(1);
                assertThat(events.get(0)).contains("\"source.ip\":\"203.0.113.9\"");
                assertThat(agent.stop()).as(agent.describe()).isZero();
            }
        }

        Path journal = temp.resolve("journal.yaml");
        Files.writeString(journal, """
                pipelines:
                  journal:
                    inputs:
                      journal: { type: journald }
                    outputs:
                      console: { type: console }
                """, StandardCharsets.UTF_8);
        for (String command : List.of("validate", "run")) {
            Commands.Result rejected = custom.outrider(data, Map.of(), command, "-c", journal.toString());
            assertThat(rejected.exitCode()).as(rejected.describe()).isEqualTo(2);
            assertThat(rejected.stderr()).as(rejected.describe()).contains(
                    "unknown input type 'journald' (available: file); is its plugin installed in " + custom.path("plugins").toRealPath() + "?");
        }
    }

    @Test
    void refusesAPluginItDoesNotHave(@TempDir Path temp)
            throws Exception
    {
        Distribution full = Distribution.unpack(temp);

        Commands.Result make = Commands.run(temp, Map.of(), Distribution.COMMAND_TIMEOUT, full.path("bin/make-distribution").toString(),
                "--plugins", "input-file,output-kafkaa", "--output", temp.resolve("custom").toString());

        assertThat(make.exitCode()).as(make.describe()).isEqualTo(2);
        assertThat(make.stderr()).startsWith("make-distribution: no plugin 'output-kafkaa' in " + full.path("plugins") + "; available: ");
        assertThat(temp.resolve("custom")).doesNotExist();
    }
}
