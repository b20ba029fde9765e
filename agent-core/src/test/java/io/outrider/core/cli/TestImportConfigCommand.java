package io.outrider.core.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestImportConfigCommand
{
    @Test
    void writesTheConfigurationAndA0600EnvFileAndNeverPrintsTheKey(@TempDir Path dir)
            throws Exception
    {
        Path sentinel = Files.writeString(dir.resolve("sentinel.yaml"), """
                api_endpoint: https://api.litesoc.io
                heartbeat_interval: 60
                log_watchers: [{ path: /var/log/auth.log, type: sshd }]
                """);
        Files.writeString(dir.resolve("sentinel.env"), "LITESOC_KEY=lsk_live_supersecret_42\n");
        Path output = dir.resolve("etc").resolve("outrider.yaml");
        Path env = dir.resolve("etc").resolve("agent.env");
        Files.createDirectories(env.getParent());
        Files.writeString(env, "# kept\nOUTRIDER_SERVER=https://other\n");

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "import-config", "--from", "litesoc", "--no-validate", "-o", output.toString(), sentinel.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readString(output)).contains("api_key: \"${LITESOC_KEY}\"").doesNotContain("supersecret");
        assertThat(Files.readString(env)).isEqualTo("# kept\nOUTRIDER_SERVER=https://other\nLITESOC_KEY=lsk_live_supersecret_42\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");
        assertThat(result.stdout()).startsWith("Wrote " + output + " and LITESOC_KEY to " + env + " (mode 0600).\n")
                .contains("Not carried over:\n  1) events LiteSOC had read but not yet sent");
        assertThat(result.stdout() + result.stderr()).doesNotContain("supersecret");

        AgentProcess.Result again = AgentProcess.run(dir, Map.of(), "import-config", "--from", "litesoc", "--no-validate", "-o", output.toString(), sentinel.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.stderr()).isEqualTo(output + " exists; use --force to overwrite it, or -o to write elsewhere\n");
    }

    @Test
    void dryRunPrintsTheYamlAndWritesNothing(@TempDir Path dir)
            throws Exception
    {
        Path config = Files.writeString(dir.resolve("config.yaml"), "server_url: https://lognog.local\napi_key: lnog_dry_run_key\nwatch_paths: [{ path: /var/log/, pattern: \"*.log\" }]\n");

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "import-config", "--from", "lognog", "--dry-run", "--no-validate", "-o", dir.resolve("out.yaml").toString(), config.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("      files: { type: file, paths: [\"/var/log/**/*.log\"] }", "# would write LOGNOG_API_KEY (value not shown) to " + dir.resolve("agent.env"))
                .doesNotContain("lnog_dry_run_key");
        assertThat(dir.resolve("out.yaml")).doesNotExist();
        assertThat(dir.resolve("agent.env")).doesNotExist();
    }

    @Test
    void findsTheLiteSocKeyAndServerInTheAgentEnvBesideTheConfiguration(@TempDir Path dir)
            throws Exception
    {
        // LiteSOC Sentinel's own layout: /etc/litesoc/config.yaml and /etc/litesoc/agent.env
        Path litesoc = Files.createDirectories(dir.resolve("etc-litesoc"));
        Path config = Files.writeString(litesoc.resolve("config.yaml"), """
                api_endpoint: https://api.litesoc.io
                batch_size: 50
                log_watchers: [{ path: /var/log/auth.log, type: sshd }]
                """);
        Files.writeString(litesoc.resolve("agent.env"), "LITESOC_KEY=lsk_live_beside_77\nLITESOC_SERVER=https://litesoc.internal\n");
        Path output = dir.resolve("out").resolve("outrider.yaml");

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "import-config", "--from", "litesoc", "--no-validate", "-o", output.toString(), config.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readString(output)).contains("        endpoint: \"https://litesoc.internal\"\n", "        delivery: { max_events: 50 }\n")
                .doesNotContain("lsk_live_beside_77");
        assertThat(Files.readString(output.resolveSibling("agent.env"))).isEqualTo("LITESOC_KEY=lsk_live_beside_77\n");
        assertThat(result.stdout() + result.stderr()).doesNotContain("lsk_live_beside_77");
    }

    /**
     * An import replaced another key already in the target env file without a word, and --force gave the replaced
     * outrider.yaml mode 0600 root:root, which the service user could no longer read.
     */
    @Test
    void keepsAnotherKeyAndTheReplacedFilesModeUnlessToldAndThenKeepsACopy(@TempDir Path dir)
            throws Exception
    {
        Path config = Files.writeString(dir.resolve("config.yaml"), "api_endpoint: https://api.litesoc.io\nlog_watchers: [{ path: /var/log/auth.log, type: sshd }]\n");
        Files.writeString(dir.resolve("agent.env"), "LITESOC_KEY=lsk_live_new_one\n");
        Path output = Files.createDirectories(dir.resolve("out")).resolve("outrider.yaml");
        Files.writeString(output, "# an older import\n");
        Files.setPosixFilePermissions(output, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Path secrets = Files.writeString(output.resolveSibling("agent.env"), "OTHER=1\nLITESOC_KEY=lsk_live_old_one\n");

        AgentProcess.Result refused = AgentProcess.run(dir, Map.of(), "import-config", "--from", "litesoc", "--no-validate", "-o", output.resolveSibling("other.yaml").toString(),
                config.toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).isEqualTo(secrets + " already holds another LITESOC_KEY; use --force to replace it (the file is kept as " + secrets
                + ".bak), or --secrets-file to write elsewhere\n");
        assertThat(Files.readString(secrets)).isEqualTo("OTHER=1\nLITESOC_KEY=lsk_live_old_one\n");
        assertThat(output.resolveSibling("other.yaml")).doesNotExist();

        AgentProcess.Result forced = AgentProcess.run(dir, Map.of(), "import-config", "--from", "litesoc", "--no-validate", "--force", "-o", output.toString(), config.toString());

        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(Files.readString(secrets)).isEqualTo("OTHER=1\nLITESOC_KEY=lsk_live_new_one\n");
        assertThat(Files.readString(secrets.resolveSibling("agent.env.bak"))).isEqualTo("OTHER=1\nLITESOC_KEY=lsk_live_old_one\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(output))).isEqualTo("rw-r-----");
        assertThat(Files.readString(output)).contains("format: litesoc");
        assertThat(refused.stdout() + refused.stderr() + forced.stdout() + forced.stderr()).doesNotContain("lsk_live_new_one").doesNotContain("lsk_live_old_one");
    }

    /** Validation problems named a temporary file that was gone, and --dry-run printed nothing when they came. */
    @Test
    void validationProblemsNameTheOutputAndADryRunStillShowsIt(@TempDir Path dir)
            throws Exception
    {
        Path config = Files.writeString(dir.resolve("config.yaml"), "api_endpoint: https://api.litesoc.io\nlog_watchers: [{ path: /var/log/auth.log, type: sshd }]\n");
        Files.writeString(dir.resolve("agent.env"), "LITESOC_KEY=lsk_live_validate\n");
        Path output = dir.resolve("outrider.yaml");

        // no plugins are installed here: the file input's type is unknown
        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "import-config", "--from", "litesoc", "--dry-run", "-o", output.toString(), config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).startsWith("# Imported from the LiteSOC Sentinel configuration " + config);
        assertThat(result.stderr()).startsWith("The imported configuration does not validate; nothing was written:\n")
                .contains(output + " (as it would be written; --dry-run shows it):")
                .doesNotContain("outrider-import");
        assertThat(output).doesNotExist();
    }

    @Test
    void anEnvFileThatCannotBeReadIsNamedWithWhatToDo(@TempDir Path dir)
            throws Exception
    {
        Path config = Files.writeString(dir.resolve("config.yaml"), "api_endpoint: https://api.litesoc.io\nlog_watchers: [{ path: /var/log/auth.log, type: sshd }]\n");
        Path notAFile = Files.createDirectories(dir.resolve("env-dir"));

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "import-config", "--from", "litesoc", "--no-validate", "--env-file", notAFile.toString(),
                "-o", dir.resolve("out.yaml").toString(), config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("cannot read the LiteSOC env file " + notAFile + ": Is a directory;"
                + " run import-config as a user who may read it, or pass --env-file\n");
        assertThat(dir.resolve("out.yaml")).doesNotExist();
    }

    @Test
    void anUnimportableConfigurationSaysWhyAndExits2(@TempDir Path dir)
            throws Exception
    {
        Path config = Files.writeString(dir.resolve("config.yaml"), "hostname: a\n");

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "import-config", "--from", "lognog", "--no-validate", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("""
                Cannot import:
                  - no LogNog server: set server_url in %1$s or LOGNOG_SERVER in the environment
                  - no LogNog API key: set api_key in %1$s or LOGNOG_API_KEY in the environment
                """.formatted(config));
    }
}
