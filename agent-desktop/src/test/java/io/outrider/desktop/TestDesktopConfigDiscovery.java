package io.outrider.desktop;

import io.outrider.core.config.CliEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** tray and configure find their configuration and env file through agent-config's ConfigFileOptions, like every other command. */
class TestDesktopConfigDiscovery
{
    /** A configuration as import-config writes it: the key is a variable, its value in agent.env beside the file. */
    private static final String IMPORTED = TestConfigSaver.UNKNOWN_PARTS + """
              imported:
                inputs:
                  auth: {type: file, paths: [/var/log/auth.log]}
                outputs:
                  lognog: {type: http, format: lognog, endpoint: "https://lognog.example/ingest", api_key: "${LOGNOG_API_KEY}"}
            """;

    @TempDir
    Path directory;

    private record Found(Optional<DesktopMain.Session> session, String out, String err)
    {
    }

    @Test
    void dashCWinsOverOutriderConfigWhichWinsOverTheInstalledConfiguration()
            throws Exception
    {
        Path installed = Files.createDirectories(directory.resolve("etc")).resolve("outrider.yaml");
        Files.writeString(installed, "agent: {}\n");
        Path fromVariable = directory.resolve("variable.yaml");
        Path fromOption = directory.resolve("option.yaml");
        CliEnvironment withVariable = cli(Map.of("OUTRIDER_CONFIG", fromVariable.toString()));

        Found option = configure(withVariable, "-c", fromOption.toString());
        assertThat(option.session().orElseThrow().configFile()).isEqualTo(fromOption);
        assertThat(option.out()).isEqualTo("configuration: " + fromOption + " (from -c)\n");

        Found variable = tray(withVariable);
        assertThat(variable.session().orElseThrow().configFile()).isEqualTo(fromVariable);
        assertThat(variable.out()).isEqualTo("configuration: " + fromVariable + " (from OUTRIDER_CONFIG)\n");

        Found fromInstalled = configure(cli(Map.of()));
        assertThat(fromInstalled.session().orElseThrow().configFile()).isEqualTo(installed);
        assertThat(fromInstalled.out()).isEqualTo("configuration: " + installed + " (the installed configuration)\n");
        assertThat(fromInstalled.err()).isEmpty();
    }

    @Test
    void withoutAConfigurationFileBothSayHowToNameOne()
            throws Exception
    {
        Path installed = directory.resolve("etc").resolve("outrider.yaml");

        Found configure = configure(cli(Map.of()));
        assertThat(configure.session()).isEmpty();
        assertThat(configure.out()).isEmpty();
        assertThat(configure.err()).isEqualTo("No configuration to edit: no -c, no OUTRIDER_CONFIG, and no " + installed
                + " that this user can see (the agent would run its built-in default pipeline). Edit an installed agent's with `sudo outrider configure`; "
                + "`outrider configure -c FILE` creates FILE, which the agent uses with -c FILE or OUTRIDER_CONFIG=FILE.\n");

        Found tray = tray(cli(Map.of("OUTRIDER_CONFIG", " ")));
        assertThat(tray.session()).isEmpty();
        assertThat(tray.err()).isEqualTo("No configuration for the tray to follow: no -c, no OUTRIDER_CONFIG, and no " + installed
                + " that this user can see (the agent would run its built-in default pipeline). Name the agent's configuration with -c FILE or "
                + "OUTRIDER_CONFIG=FILE; an installed agent's can be read by root and the agent's group only.\n");
    }

    @Test
    void saveValidatesWithTheVariablesOfTheEnvFileBesideTheConfiguration()
            throws Exception
    {
        Path configFile = directory.resolve("outrider.yaml");
        Files.writeString(configFile, IMPORTED);
        Path envFile = directory.resolve("agent.env");
        Files.writeString(envFile, "LOGNOG_API_KEY=lk-imported-secret\n");
        Files.setPosixFilePermissions(envFile, PosixFilePermissions.fromString("rw-------"));

        Found found = configure(cli(Map.of()), "-c", configFile.toString());
        assertThat(found.out()).isEqualTo("configuration: " + configFile + " (from -c)\nvariables: " + envFile + " (the environment wins)\n");
        DesktopMain.Session session = found.session().orElseThrow();
        assertThat(session.environment()).containsEntry("LOGNOG_API_KEY", "lk-imported-secret");

        ConfigSaver.Outcome outcome = saver(session).save(configFile, TestConfigSaver.settings("https://collector.example", "desktop-key", List.of("/var/log/syslog"), false, List.of()));
        assertThat(outcome).isEqualTo(new ConfigSaver.Outcome(true, "Saved outrider.yaml. The agent reloaded: test"));
        // the imported collector and file input are edited where they are; the typed key goes to the secret file
        assertThat(Files.readString(configFile)).isEqualTo(TestConfigSaver.UNKNOWN_PARTS + """
                  imported:
                    inputs:
                      auth:
                        type: file
                        paths:
                          - /var/log/syslog
                    outputs:
                      lognog:
                        type: http
                        format: lognog
                        endpoint: https://collector.example
                        api_key: ${file:desktop-api-key}
                """);
        assertThat(Files.readString(directory.resolve("desktop-api-key"))).isEqualTo("desktop-key\n");
    }

    @Test
    void withoutTheEnvFileSaveSaysWhichVariableIsMissingAndWritesNothing()
            throws Exception
    {
        Path configFile = directory.resolve("outrider.yaml");
        Files.writeString(configFile, IMPORTED);

        Found found = configure(cli(Map.of()), "-c", configFile.toString());
        assertThat(found.out()).isEqualTo("configuration: " + configFile + " (from -c)\n");

        // the window shows the imported key as the variable it is, and keeps it
        ConfigSaver.Outcome outcome = saver(found.session().orElseThrow())
                .save(configFile, TestConfigSaver.settings("https://collector.example", "${LOGNOG_API_KEY}", List.of("/var/log/auth.log"), false, List.of()));
        assertThat(outcome.saved()).isFalse();
        assertThat(outcome.message()).isEqualTo("""
                Configuration has 1 error:

                1) %s:20:18: pipelines.imported.outputs.lognog.api_key: environment variable LOGNOG_API_KEY is not set; set it or write ${LOGNOG_API_KEY:-default}""".formatted(configFile));
        assertThat(Files.readString(configFile)).isEqualTo(IMPORTED);
    }

    @Test
    void theInstalledEnvFileIsReadWhenNoneIsBesideTheConfiguration()
            throws Exception
    {
        Path configFile = directory.resolve("outrider.yaml");
        Files.writeString(configFile, IMPORTED);
        Path installedEnvFile = Files.createDirectories(directory.resolve("etc")).resolve("agent.env");
        Files.writeString(installedEnvFile, "LOGNOG_API_KEY=lk-installed\n");

        Found found = tray(cli(Map.of("OUTRIDER_CONFIG", configFile.toString(), "LOGNOG_API_KEY", "lk-from-the-environment")));

        assertThat(found.out()).isEqualTo("configuration: " + configFile + " (from OUTRIDER_CONFIG)\nvariables: " + installedEnvFile + " (the environment wins)\n");
        assertThat(found.session().orElseThrow().environment()).containsEntry("LOGNOG_API_KEY", "lk-from-the-environment");
    }

    @Test
    void anEnvFileThatCannotBeReadIsRefusedWithoutItsContent()
            throws Exception
    {
        Path configFile = directory.resolve("outrider.yaml");
        Files.writeString(configFile, IMPORTED);
        Path missing = directory.resolve("missing.env");

        Found found = configure(cli(Map.of()), "-c", configFile.toString(), "--env-file", missing.toString());

        assertThat(found.session()).isEmpty();
        assertThat(found.out()).isEmpty();
        assertThat(found.err()).isEqualTo("cannot read the env file " + missing + " (NoSuchFileException)\n");
    }

    private CliEnvironment cli(Map<String, String> environment)
    {
        return new CliEnvironment(environment, directory.resolve("etc").resolve("outrider.yaml"), directory.resolve("etc").resolve("agent.env"));
    }

    private ConfigSaver saver(DesktopMain.Session session)
    {
        // the session's validator, with stand-ins for the plugins that are not built into agent-core
        return new ConfigSaver(new AgentConfigValidator(session.environment(), session.secrets(), List.of(DesktopTestPlugin.loaded())),
                new AutostartEntry(directory.resolve("autostart"), "outrider tray"), file -> "The agent reloaded: test");
    }

    private static Found configure(CliEnvironment cli, String... args)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DesktopMain.ConfigureCommand command = new DesktopMain.ConfigureCommand(cli, print(out), print(err));
        new CommandLine(command).parseArgs(args);
        return new Found(command.session(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Found tray(CliEnvironment cli, String... args)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DesktopMain.TrayCommand command = new DesktopMain.TrayCommand(cli, print(out), print(err));
        new CommandLine(command).parseArgs(args);
        return new Found(command.session(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream bytes)
    {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
