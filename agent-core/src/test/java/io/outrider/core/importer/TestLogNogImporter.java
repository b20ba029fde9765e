package io.outrider.core.importer;

import io.outrider.core.config.EnvFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestLogNogImporter
{
    /** The example from LogNog In's documentation, on a Linux host. */
    private static final String CONFIG = """
            server_url: https://lognog.local:443
            api_key: lnog_abc123def456
            hostname: workstation-01
            send_hostname: true
            watch_paths:
              - path: /var/log/
                pattern: "*.log"
                recursive: true
                enabled: true
              - path: /home/*/app/logs/
                pattern: "*.log"
                recursive: true
                enabled: true
              - path: C:\\Logs\\
                pattern: "*.txt"
                recursive: false
                enabled: true
              - path: /opt/old/
                pattern: "*.log"
                enabled: false
            fim_enabled: true
            fim_paths:
              - path: /etc/
                pattern: "*"
                recursive: true
                enabled: true
              - path: /usr/local/bin/
                pattern: "*"
                recursive: false
                enabled: true
            windows_events:
              enabled: true
              channels: [Security, System]
              event_ids: [4624, 4625]
              poll_interval: 5
            batch_size: 100
            batch_interval_seconds: 5.0
            retry_max_attempts: 5
            retry_backoff_seconds: 2.0
            start_on_boot: false
            debug_logging: false
            theme: dark
            """;

    @Test
    void theDocumentedExampleBecomesFileAndFimInputsWithALogNogOutput()
            throws Exception
    {
        ImportResult result = LogNogImporter.convert("config.yaml", CONFIG, Map.of(), false);

        assertThat(result.yaml()).isEqualTo("""
                # Imported from the LogNog In configuration config.yaml by outrider import-config.
                # The API key is not in this file: ${LOGNOG_API_KEY} is read from the environment
                # (the agent's env file, mode 0600, e.g. /etc/outrider/agent.env).
                agent:
                  host_name: "workstation-01"
                pipelines:
                  lognog:
                    inputs:
                      files: { type: file, paths: ["/var/log/**/*.log", "/home/*/app/logs/**/*.log"] }
                      fim: { type: fim, paths: ["/etc/**/*", "/usr/local/bin/*"] }
                    outputs:
                      lognog:
                        type: http
                        format: lognog
                        endpoint: "https://lognog.local:443"
                        api_key: "${LOGNOG_API_KEY}"
                        source: lognog-in
                        delivery: { max_events: 100, max_wait: 5000ms, retry_initial: 2000ms }
                """);
        assertThat(result.secrets()).isEqualTo(Map.of("LOGNOG_API_KEY", "lnog_abc123def456"));
        assertThat(result.notCarriedOver()).containsExactly(
                "the API key written in config.yaml (api_key) was moved to the env file as LOGNOG_API_KEY; remove it from the old file",
                "watch path C:\\Logs\\*.txt is a Windows path and cannot be watched on this machine",
                "watch path /opt/old/ is disabled in LogNog In and was not imported",
                "windows_events (Security, System): live Windows event logs can only be read on Windows; run import-config on the Windows host",
                "retry_max_attempts: Outrider never gives up on an event; it retries with capped backoff and keeps events buffered until delivered",
                "'theme' is no LogNog In setting the importer knows, and was not imported",
                "events LogNog In had buffered but not yet sent (its buffer.db), and its position in each log file: Outrider starts at the end of each file",
                "LogNog In's FIM baseline (baseline.db): Outrider builds its own baseline at first start, so changes made before then are not reported");
    }

    @Test
    void aSettingWrittenWithoutItsUnitOrMisspeltIsNamedWithTheOneItMayHaveMeant()
            throws Exception
    {
        ImportResult result = LogNogImporter.convert("config.yaml", """
                server_url: https://lognog.local
                api_key: lnog_abc123def456
                watch_paths: [{ path: /var/log/, pattern: "*.log" }]
                batch_interval: 2
                retry_backof_seconds: 3
                theme: dark
                """, Map.of(), false);

        assertThat(result.yaml()).doesNotContain("max_wait", "retry_initial");
        assertThat(result.notCarriedOver()).contains(
                "LogNog In setting 'batch_interval' was not imported: it is not one the importer knows; did you mean 'batch_interval_seconds'?",
                "LogNog In setting 'retry_backof_seconds' was not imported: it is not one the importer knows; did you mean 'retry_backoff_seconds'?",
                "'theme' is no LogNog In setting the importer knows, and was not imported");
    }

    @Test
    void onWindowsTheEventLogChannelsAreImported()
            throws Exception
    {
        ImportResult result = LogNogImporter.convert("config.yaml", """
                server_url: http://192.168.1.100:4000
                api_key: lnog_x1
                watch_paths: [{ path: "C:\\\\Logs\\\\", pattern: "*.txt" }]
                windows_events: { enabled: true, channels: [Security], event_ids: [4624, 4625], poll_interval: 2.5 }
                """, Map.of(), true);

        assertThat(result.yaml()).contains("      files: { type: file, paths: [\"C:\\\\Logs\\\\**\\\\*.txt\"] }\n")
                .contains("      windows_events: { type: winevent, channels: [\"Security\"], event_ids: [4624, 4625], poll_interval: 2500ms }\n");
    }

    @Test
    void containerVariablesWinOverTheFileAndAreEnoughOnTheirOwn()
            throws Exception
    {
        ImportResult result = LogNogImporter.convert(null, null, Map.of(
                "LOGNOG_SERVER", "https://lognog.example",
                "LOGNOG_API_KEY", "lnog_from_env",
                "LOGNOG_WATCH_PATHS", "/watch/var-log/**/*.log,/watch/app-logs/*.log",
                "LOGNOG_FIM_ENABLED", "true",
                "LOGNOG_FIM_PATHS", "/watch/etc/**",
                "LOGNOG_BATCH_SIZE", "250",
                "LOGNOG_DEBUG", "true"), false);

        assertThat(result.yaml()).contains("""
                agent:
                  log: { level: debug }
                pipelines:
                  lognog:
                    inputs:
                      files: { type: file, paths: ["/watch/var-log/**/*.log", "/watch/app-logs/*.log"] }
                      fim: { type: fim, paths: ["/watch/etc/**"] }
                """).contains("endpoint: \"https://lognog.example\"", "delivery: { max_events: 250 }").doesNotContain("lnog_from_env");
        assertThat(result.secrets()).containsEntry("LOGNOG_API_KEY", "lnog_from_env");
    }

    @Test
    void globsAndFilesAreKeptAsTheyAreAndDirectoriesBecomeEverythingBelowThem(@TempDir Path dir)
            throws Exception
    {
        Path existing = Files.createDirectories(dir.resolve("app-logs"));
        ImportResult result = LogNogImporter.convert("config.yaml", """
                server_url: https://lognog.local
                api_key: lnog_k
                watch_paths:
                  - /var/log/**/*.log
                  - /var/log/syslog
                  - /srv/logs/
                  - %s
                  - { path: /opt/app/, pattern: "*.log" }
                fim_enabled: true
                fim_paths: [/etc/, /usr/local/bin/*]
                """.formatted(existing), Map.of(), false);

        assertThat(result.yaml()).contains("      files: { type: file, paths: [\"/var/log/**/*.log\", \"/var/log/syslog\", \"/srv/logs/**\", \""
                        + existing + "/**\", \"/opt/app/**/*.log\"] }\n")
                .contains("      fim: { type: fim, paths: [\"/etc/\", \"/usr/local/bin/*\"] }\n");

        ImportResult fromEnvironment = LogNogImporter.convert(null, null, Map.of(
                "LOGNOG_SERVER", "https://lognog.example",
                "LOGNOG_API_KEY", "lnog_k",
                "LOGNOG_WATCH_PATHS", "/var/log/syslog," + existing + ",/var/log/**/*.log"), false);
        assertThat(fromEnvironment.yaml()).contains("      files: { type: file, paths: [\"/var/log/syslog\", \"" + existing + "/**\", \"/var/log/**/*.log\"] }\n");
    }

    @Test
    void missingServerKeyAndPathsAreClearErrors()
    {
        assertThatThrownBy(() -> LogNogImporter.convert("config.yaml", "hostname: a\n", Map.of(), false))
                .hasMessage("""
                        no LogNog server: set server_url in config.yaml or LOGNOG_SERVER in the environment
                        no LogNog API key: set api_key in config.yaml or LOGNOG_API_KEY in the environment""");
        assertThatThrownBy(() -> LogNogImporter.convert("config.yaml", "server_url: https://x\napi_key: k\n", Map.of(), false))
                .hasMessage("config.yaml: nothing to watch: no watch_paths, no FIM paths and no Windows event channels could be imported");
    }

    @Test
    void envFilesAreReadAndMergedKeepingOtherLines()
            throws Exception
    {
        assertThat(EnvFile.parse("# comment\nexport LITESOC_KEY=\"abc def\"\nOTHER='x'\nbroken\n")).isEqualTo(Map.of("LITESOC_KEY", "abc def", "OTHER", "x"));
    }

    /**
     * A watch path's pattern matched at any depth in LogNog In (recursive is true unless said) and only at the top
     * after the import; and what an entry held beyond LogNog In's four keys was dropped without a word.
     */
    @Test
    void aWatchPathsPatternMatchesAtAnyDepthAndWhatItCannotCarryIsNamed()
            throws Exception
    {
        ImportResult result = LogNogImporter.convert("config.yaml", """
                server_url: https://lognog.local
                api_key: k
                watch_paths:
                  - { path: /srv/web, pattern: "*.log", exclude: ["*.gz"], encoding: utf-16 }
                  - { path: /srv/top, pattern: "*.log", recursive: false }
                """, Map.of(), false);

        assertThat(result.yaml()).contains("      files: { type: file, paths: [\"/srv/web/**/*.log\", \"/srv/top/*.log\"] }\n");
        assertThat(result.notCarriedOver()).contains(
                "watch path /srv/web: 'exclude' is no LogNog In setting of a watch path (those are path, pattern, recursive, enabled) and was not imported",
                "watch path /srv/web: 'encoding' is no LogNog In setting of a watch path (those are path, pattern, recursive, enabled) and was not imported");
    }
}
