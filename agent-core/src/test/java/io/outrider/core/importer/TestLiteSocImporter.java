package io.outrider.core.importer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestLiteSocImporter
{
    private static final String SENTINEL = """
            # LiteSOC Sentinel
            api_endpoint: https://api.litesoc.io
            heartbeat_interval: 30
            log_watchers:
              - path: /var/log/auth.log
                type: sshd
              - path: /var/log/secure
                type: sshd
              - path: /var/log/nginx/access.log
                type: nginx
            update_channel: stable
            """;

    @Test
    void sshdWatchersBecomeOnePipelineWithTheKeyOnlyInTheEnvFile()
            throws Exception
    {
        ImportResult result = LiteSocImporter.convert("/etc/litesoc/sentinel.yaml", SENTINEL, Map.of("LITESOC_KEY", "lsk_live_4f9a8b7c6d5e"), Map.of());

        assertThat(result.yaml()).isEqualTo("""
                # Imported from the LiteSOC Sentinel configuration /etc/litesoc/sentinel.yaml by outrider import-config.
                # The API key is not in this file: ${LITESOC_KEY} is read from the environment
                # (the agent's env file, mode 0600, e.g. /etc/outrider/agent.env).
                pipelines:
                  litesoc:
                    inputs:
                      auth_log: { type: file, paths: ["/var/log/auth.log"] }
                      secure: { type: file, paths: ["/var/log/secure"] }
                    parsers:
                      sshd: { type: sshd }
                      # sudo, su and PAM logons of other services; LiteSOC receives those it has an event for
                      linux_auth: { type: linux_auth }
                    # LiteSOC takes security events only
                    unmatched: drop
                    outputs:
                      litesoc:
                        type: http
                        format: litesoc
                        endpoint: "https://api.litesoc.io"
                        api_key: "${LITESOC_KEY}"
                        heartbeat_interval: 30s
                """);
        assertThat(result.secrets()).isEqualTo(Map.of("LITESOC_KEY", "lsk_live_4f9a8b7c6d5e"));
        assertThat(result.notCarriedOver()).containsExactly(
                "log watcher /var/log/nginx/access.log (type nginx): Outrider has no 'nginx' parser for LiteSOC events; it was not imported",
                "'update_channel' is no LiteSOC setting the importer knows, and was not imported",
                "events LiteSOC had read but not yet sent, and its position in each log file: Outrider starts at the end of each file (set read_from: beginning to send whole files again)");
    }

    @Test
    void aKeyWrittenInTheOldConfigMovesToTheEnvFileAndTheDefaultHeartbeatIs60s()
            throws Exception
    {
        ImportResult result = LiteSocImporter.convert("sentinel.yaml", """
                api_endpoint: https://litesoc.example.com
                api_key: lsk_test_000111222
                log_watchers: [{ path: /var/log/auth.log, type: sshd }]
                """, Map.of(), Map.of());

        assertThat(result.yaml()).doesNotContain("lsk_test_000111222").contains("heartbeat_interval: 60s");
        assertThat(result.secrets()).containsEntry("LITESOC_KEY", "lsk_test_000111222");
        assertThat(result.notCarriedOver()).first().isEqualTo("the API key written in sentinel.yaml (api_key) was moved to the env file as LITESOC_KEY; remove it from the old file");
    }

    @Test
    void batchSizeBecomesTheDeliveryBatchAndLiteSocServerReplacesTheEndpoint()
            throws Exception
    {
        String sentinel = """
                api_endpoint: https://api.litesoc.io
                batch_size: 25
                log_watchers: [{ path: /var/log/auth.log, type: sshd }]
                """;
        ImportResult fromEnvFile = LiteSocImporter.convert("sentinel.yaml", sentinel,
                Map.of("LITESOC_KEY", "lsk_1", "LITESOC_SERVER", "https://litesoc.internal:8443"), Map.of("LITESOC_SERVER", "https://ignored.example"));

        assertThat(fromEnvFile.yaml()).endsWith("""
                      litesoc:
                        type: http
                        format: litesoc
                        endpoint: "https://litesoc.internal:8443"
                        api_key: "${LITESOC_KEY}"
                        heartbeat_interval: 60s
                        delivery: { max_events: 25 }
                """);
        assertThat(fromEnvFile.notCarriedOver()).noneMatch(line -> line.contains("batch_size"));

        ImportResult fromEnvironment = LiteSocImporter.convert("sentinel.yaml", "log_watchers: [{ path: /var/log/auth.log, type: sshd }]\n",
                Map.of("LITESOC_KEY", "lsk_1"), Map.of("LITESOC_SERVER", "https://litesoc.from-env.example"));
        assertThat(fromEnvironment.yaml()).contains("        endpoint: \"https://litesoc.from-env.example\"\n");
    }

    @Test
    void theEnvFileIsFoundBesideTheConfigurationElseInTheSystemLocation(@TempDir Path dir)
            throws Exception
    {
        Path etcLitesoc = Files.createDirectories(dir.resolve("etc-litesoc"));
        Path config = Files.writeString(etcLitesoc.resolve("config.yaml"), "api_endpoint: https://api.litesoc.io\n");
        Path system = dir.resolve("system").resolve("agent.env");

        assertThat(LiteSocImporter.envFileFor(config, system)).isEmpty();

        Files.createDirectories(system.getParent());
        Files.writeString(system, "LITESOC_KEY=lsk_system\n");
        assertThat(LiteSocImporter.envFileFor(config, system)).contains(system);

        Files.writeString(etcLitesoc.resolve("sentinel.env"), "LITESOC_KEY=lsk_sentinel\n");
        assertThat(LiteSocImporter.envFileFor(config, system)).contains(etcLitesoc.resolve("sentinel.env"));

        // the seed's own layout: /etc/litesoc/config.yaml beside /etc/litesoc/agent.env
        Files.writeString(etcLitesoc.resolve("agent.env"), "LITESOC_KEY=lsk_beside\n");
        assertThat(LiteSocImporter.envFileFor(config, system)).contains(etcLitesoc.resolve("agent.env"));
    }

    /**
     * From an operator's migration: which key and endpoint were written, and why, was silent or wrong (a LITESOC_SERVER
     * quietly replaced api_endpoint; the message said the config's api_key was moved when the env file's was
     * written), and heartbeat_interval 0, which Sentinel reads as 60, became 0s, which turns the heartbeat off.
     */
    @Test
    void saysWhichKeyAndEndpointWereWrittenAndKeepsSentinelsDefaults()
            throws Exception
    {
        String sentinel = """
                api_endpoint: https://api.litesoc.io
                api_key: lsoc_live_INLINE
                heartbeat_interval: 0
                log_watchers: [{ path: /var/log/auth.log, type: sshd }]
                """;
        ImportResult result = LiteSocImporter.convert("config.yaml", sentinel,
                Map.of("LITESOC_KEY", "lsoc_live_FROMENVFILE", "LITESOC_SERVER", "https://litesoc.internal"), Map.of("LITESOC_KEY", "lsoc_live_SHELL"));

        assertThat(result.secrets()).containsExactly(Map.entry("LITESOC_KEY", "lsoc_live_FROMENVFILE"));
        assertThat(result.yaml()).contains("        endpoint: \"https://litesoc.internal\"\n", "        heartbeat_interval: 60s\n");
        assertThat(result.notCarriedOver()).startsWith(
                "api_endpoint https://api.litesoc.io of config.yaml was replaced by LITESOC_SERVER (https://litesoc.internal) of the env file",
                "LITESOC_KEY of this shell's environment differs from LITESOC_KEY of the LiteSOC env file; the env file's was written, as the installed Sentinel used it",
                "the api_key written in config.yaml was not used: LiteSOC Sentinel reads its key from LITESOC_KEY, which holds another one; that one was written;"
                        + " remove api_key from the old file",
                "heartbeat_interval 0 of config.yaml is 60s, as LiteSOC Sentinel reads 0 or less (0s would turn the heartbeat off)");

        ImportResult newer = LiteSocImporter.convert("config.yaml", "log_watchers: [{ path: /var/log/auth.log, type: sshd }]\n",
                Map.of("LITESOC_AGENT_KEY", "lsoc_live_NEWER"), Map.of());
        assertThat(newer.secrets()).containsExactly(Map.entry("LITESOC_KEY", "lsoc_live_NEWER"));
        assertThat(newer.yaml()).contains("        endpoint: \"https://api.litesoc.io\"\n");
        assertThat(newer.notCarriedOver()).contains("config.yaml has no api_endpoint: the events go to https://api.litesoc.io, LiteSOC Sentinel's default");
        assertThat(String.join("\n", newer.notCarriedOver())).doesNotContain("lsoc_live_NEWER");
    }

    @Test
    void aWatcherPathThatIsNoAbsoluteLinuxPathIsSkippedWithANote()
            throws Exception
    {
        ImportResult result = LiteSocImporter.convert("config.yaml", """
                log_watchers:
                  - { path: 'C:\\Logs\\auth.log', type: sshd }
                  - { path: /var/log/auth.log, type: sshd }
                """, Map.of("LITESOC_KEY", "k"), Map.of());

        assertThat(result.yaml()).contains("      auth_log: { type: file, paths: [\"/var/log/auth.log\"] }\n").doesNotContain("Logs");
        assertThat(result.notCarriedOver()).contains("log watcher C:\\Logs\\auth.log is not an absolute Linux path and was not imported");
    }

    @Test
    void missingSettingsAreClearErrors()
    {
        assertThatThrownBy(() -> LiteSocImporter.convert("sentinel.yaml", "heartbeat_interval: 60\nlog_watchers: []\n", Map.of(), Map.of()))
                .isInstanceOf(ImportException.class)
                .hasMessage("no LiteSOC API key: LITESOC_KEY (or LITESOC_AGENT_KEY) is neither in the LiteSOC env file nor in the environment, and sentinel.yaml has no api_key");
        assertThatThrownBy(() -> LiteSocImporter.convert("sentinel.yaml", "api_endpoint: https://x\nlog_watchers: [{type: sshd}]\n", Map.of("LITESOC_KEY", "k"), Map.of()))
                .hasMessage("sentinel.yaml: a log watcher has no 'path'");
        assertThatThrownBy(() -> LiteSocImporter.convert("sentinel.yaml", "api_endpoint: [", Map.of(), Map.of()))
                .hasMessageStartingWith("sentinel.yaml is not valid YAML or JSON: ");
    }
}
