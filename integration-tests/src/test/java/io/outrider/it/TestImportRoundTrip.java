package io.outrider.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code import-config} against the real plugins: the result validates, the key stays out of the YAML. */
class TestImportRoundTrip
{
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
                .contains("litesoc: auth_log (file), secure (file) -> sshd (sshd) -> litesoc (http)");
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
}
