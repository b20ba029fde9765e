package io.outrider.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code import-config} against the real plugins: the result validates, the key stays out of the YAML, and an agent
 * started on it delivers to a collector on loopback what the old agent would have sent.
 */
class TestImportRoundTrip
{
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aLiteSocSentinelSetupImportsIntoAConfigurationThatValidates(@TempDir Path dir)
            throws Exception
    {
        Path sentinel = Files.writeString(dir.resolve("sentinel.yaml"), """
                api_endpoint: https://api.litesoc.io
                heartbeat_interval: 120
                log_watchers:
                  - { path: /var/log/auth.log, type: sshd }
                  - { path: /var/log/secure, type: sshd }
                """);
        Files.writeString(dir.resolve("sentinel.env"), "LITESOC_KEY=lsk_live_roundtrip_key\n");
        Path output = dir.resolve("etc").resolve("outrider.yaml");

        Outrider.Result imported = Outrider.run(dir, Map.of(), "import-config", "--from", "litesoc", "-o", output.toString(), sentinel.toString());

        assertThat(imported.exitCode()).as(imported.stderr()).isZero();
        assertThat(imported.stdout()).contains("It validates against the installed plugins");
        assertThat(Files.readString(output)).doesNotContain("lsk_live_roundtrip_key");
        // the key is only in the env file import-config wrote beside the configuration, which validate reads
        Outrider.Result validated = Outrider.run(dir, Map.of(), "validate", "-c", output.toString());
        assertThat(validated.exitCode()).as(validated.stderr()).isZero();
        assertThat(validated.stdout()).startsWith("configuration: " + output + " (from -c)\nvariables: " + output.resolveSibling("agent.env") + " (the environment wins)\n")
                .contains("litesoc: auth_log (file), secure (file) -> sshd (sshd) -> linux_auth (linux_auth) -> litesoc (http)");
        assertThat(imported.stdout() + imported.stderr() + validated.stdout() + validated.stderr()).doesNotContain("lsk_live_roundtrip_key");
    }

    @Test
    void aLogNogInSetupImportsIntoAConfigurationThatValidates(@TempDir Path dir)
            throws Exception
    {
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                server_url: https://lognog.local:443
                api_key: lnog_roundtrip_key
                hostname: workstation-01
                watch_paths:
                  - { path: /var/log/, pattern: "*.log", recursive: true, enabled: true }
                fim_enabled: true
                fim_paths:
                  - { path: /etc/, pattern: "*", recursive: true, enabled: true }
                batch_size: 100
                batch_interval_seconds: 5.0
                """);
        Path output = dir.resolve("outrider.yaml");

        Outrider.Result imported = Outrider.run(dir, Map.of(), "import-config", "--from", "lognog", "-o", output.toString(), config.toString());

        assertThat(imported.exitCode()).as(imported.stderr()).isZero();
        Outrider.Result validated = Outrider.run(dir, Map.of(), "validate", "-c", output.toString(), "--env-file", dir.resolve("agent.env").toString());
        assertThat(validated.exitCode()).as(validated.stderr()).isZero();
        assertThat(validated.stdout()).contains("lognog: files (file), fim (fim) -> lognog (http)");
        assertThat(imported.stdout() + imported.stderr() + validated.stdout() + validated.stderr()).doesNotContain("lnog_roundtrip_key");
    }

    @Test
    void aLiteSocSentinelSetupInItsOwnLayoutDeliversSshEventsAfterTheImport(@TempDir Path dir)
            throws Exception
    {
        Path authLog = Files.writeString(dir.resolve("auth.log"), "");
        try (RecordingCollector collector = new RecordingCollector()) {
            // LiteSOC Sentinel's layout: config.yaml beside agent.env, which holds the key and the server
            Path litesoc = Files.createDirectories(dir.resolve("etc-litesoc"));
            Path config = Files.writeString(litesoc.resolve("config.yaml"), """
                    api_endpoint: https://api.litesoc.io
                    heartbeat_interval: 60
                    batch_size: 20
                    log_watchers:
                      - { path: %s, type: sshd }
                    """.formatted(authLog));
            Files.writeString(litesoc.resolve("agent.env"), "LITESOC_KEY=lsk_live_sentinel_rt\nLITESOC_SERVER=" + collector.url() + "\n");
            Path output = dir.resolve("etc").resolve("outrider.yaml");

            Outrider.Result imported = Outrider.run(dir, Map.of(), "import-config", "--from", "litesoc", "-o", output.toString(), config.toString());
            assertThat(imported.exitCode()).as(imported.stderr()).isZero();
            assertThat(Files.readString(output)).contains("        endpoint: \"" + collector.url() + "\"\n", "        delivery: { max_events: 20 }\n");
            assertThat(Outrider.run(dir, Map.of(), "validate", "-c", output.toString()).exitCode()).isZero();

            Outrider agent = Outrider.start(dir, Map.of(), "run", "-c", output.toString());
            // the imported input starts at the end of the file, as LiteSOC had read up to it: append until the agent tails it
            List<RecordingCollector.Request> requests = appendUntil(collector, authLog,
                    "Dec  5 10:00:00 web1 sshd-session[4242]: Failed password for root from 203.0.113.42 port 40118 ssh2\n",
                    all -> all.stream().anyMatch(request -> request.path().equals("/collect")), "a LiteSOC event");
            agent.signal("TERM");
            assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();

            RecordingCollector.Request event = requests.stream().filter(request -> request.path().equals("/collect")).findFirst().orElseThrow();
            assertThat(event.headers().getFirst("X-API-Key")).isEqualTo("lsk_live_sentinel_rt");
            // OpenSSH 9.8's sshd-session is the sshd LiteSOC knows
            // and the host, as Sentinel stamps it: the agent's host name
            assertThat(event.body()).startsWith("{\"event\":\"auth.login_failed\",\"user_ip\":\"203.0.113.42\",\"actor\":{\"id\":\"root\"},"
                    + "\"metadata\":{\"source\":\"sshd\",\"log_file\":\"" + authLog + "\",\"reason\":\"failed_password\",\"port\":\"40118\",\"source_hostname\":\"")
                    .endsWith("\"}}").doesNotContain("\"source_hostname\":\"\"");
            assertThat(imported.stdout() + imported.stderr() + agent.stdout() + agent.stderr()).doesNotContain("lsk_live_sentinel_rt");
        }
    }

    @Test
    void aLogNogInSetupWithGlobsAndFilesDeliversEveryLineAfterTheImport(@TempDir Path dir)
            throws Exception
    {
        Path logs = Files.createDirectories(dir.resolve("var-log").resolve("app"));
        Path appLog = Files.writeString(logs.resolve("app.log"), "");
        Path syslog = Files.writeString(dir.resolve("var-log").resolve("syslog"), "");
        try (RecordingCollector collector = new RecordingCollector()) {
            // plain list elements, as LogNog In also takes them: a recursive glob and a file
            Path config = Files.writeString(dir.resolve("config.yaml"), """
                    server_url: %s
                    api_key: lnog_roundtrip_globs
                    watch_paths:
                      - %s/**/*.log
                      - %s
                    batch_size: 10
                    batch_interval_seconds: 0.2
                    """.formatted(collector.url(), dir.resolve("var-log"), syslog));
            Path output = dir.resolve("outrider.yaml");

            Outrider.Result imported = Outrider.run(dir, Map.of(), "import-config", "--from", "lognog", "-o", output.toString(), config.toString());
            assertThat(imported.exitCode()).as(imported.stderr()).isZero();
            assertThat(Files.readString(output)).contains("paths: [\"" + dir.resolve("var-log") + "/**/*.log\", \"" + syslog + "\"]",
                    "        source: lognog-in\n", "        delivery: { max_events: 10, max_wait: 200ms }\n");

            Outrider agent = Outrider.start(dir, Map.of(), "run", "-c", output.toString());
            appendUntil(collector, appLog, "app started\n", all -> bodies(all).contains("\"message\":\"app started\""), "a line of the glob's file");
            List<RecordingCollector.Request> requests = appendUntil(collector, syslog, "Dec  5 10:00:00 web1 cron[1]: job ran\n",
                    all -> bodies(all).contains("\"message\":\"Dec  5 10:00:00 web1 cron[1]: job ran\""), "a line of the plain file");
            agent.signal("TERM");
            assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();

            assertThat(requests).allSatisfy(request -> {
                assertThat(request.path()).isEqualTo("/api/ingest/agent");
                assertThat(request.headers().getFirst("Authorization")).isEqualTo("ApiKey lnog_roundtrip_globs");
            });
            assertThat(bodies(requests)).contains("\"source\":\"lognog-in\",\"source_type\":\"file\",\"file_path\":\"" + appLog + "\",\"message\":\"app started\"")
                    .contains("\"source\":\"lognog-in\",\"source_type\":\"file\",\"file_path\":\"" + syslog + "\",\"message\":\"Dec  5 10:00:00 web1 cron[1]: job ran\"");
            assertThat(imported.stdout() + imported.stderr() + agent.stdout() + agent.stderr()).doesNotContain("lnog_roundtrip_globs");
        }
    }

    private static String bodies(List<RecordingCollector.Request> requests)
    {
        StringBuilder all = new StringBuilder();
        requests.forEach(request -> all.append(request.body()).append('\n'));
        return all.toString();
    }

    /** Appends {@code line} every 250 ms (at most 240 times) until the collector has what {@code condition} wants. */
    private static List<RecordingCollector.Request> appendUntil(RecordingCollector collector, Path file, String line,
            Predicate<List<RecordingCollector.Request>> condition, String what)
            throws Exception
    {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        while (true) {
            Files.writeString(file, line, StandardOpenOption.APPEND);
            try {
                return collector.await(condition, Duration.ofMillis(250), what);
            }
            catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
            }
        }
    }
}
