package io.outrider.core.cli;

import io.outrider.core.config.CliEnvironment;
import io.outrider.core.plugin.PluginJars;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conventions every command follows: help, where the configuration comes from, env files, log level, and the log on
 * standard error (journal-friendly, keys masked). Real child JVMs where the process matters (exit codes, standard error).
 */
class TestCliConventions
{
    private static final String KEY = "sk_live_from_the_env_file_42";

    @Test
    void everySubcommandAnswersHelpWithItsUsageAndExit0(@TempDir Path dir)
    {
        CommandLine root = Main.commandLine(new CliEnvironment(Map.of(), dir.resolve("etc/outrider.yaml"), dir.resolve("etc/agent.env")));
        assertThat(root.getSubcommands().keySet()).contains("run", "validate", "plugins", "parse", "status", "control", "import-config", "run-once", "fim", "dead-letters",
                "buffer", "tray", "configure", "version", "help");

        for (String command : root.getSubcommands().keySet()) {
            for (String option : List.of("--help", "-h")) {
                StringWriter out = new StringWriter();
                CommandLine commandLine = Main.commandLine(new CliEnvironment(Map.of(), dir.resolve("etc/outrider.yaml"), dir.resolve("etc/agent.env")));
                commandLine.setOut(new PrintWriter(out, true));
                int code = commandLine.execute(command, option);
                assertThat(code).as(command + " " + option).isZero();
                // help's own usage starts with its description
                assertThat(out.toString()).as(command + " " + option).startsWith(command.equals("help") ? "Display help information" : "Usage: outrider " + command + " ")
                        .contains("Usage: outrider " + command + " [-h", "  -h, --help ", "--log-level=LEVEL");
            }
        }
    }

    @Test
    void trayAndConfigureTakeTheConfigurationOptionsOfTheOtherCommands(@TempDir Path dir)
    {
        String run = help(dir, "run");
        String configOptions = run.substring(run.indexOf("  -c, --config=FILE"), run.indexOf("  -h, --help"));
        assertThat(configOptions).contains("      --env-file=FILE");
        for (String command : List.of("tray", "configure")) {
            assertThat(help(dir, command)).as(command).startsWith("Usage: outrider " + command + " [-hvV] [-c=FILE] [--env-file=FILE] [--log-level=LEVEL]\n").contains(configOptions);
        }
    }

    private static String help(Path dir, String command)
    {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Main.commandLine(new CliEnvironment(Map.of(), dir.resolve("etc/outrider.yaml"), dir.resolve("etc/agent.env")));
        commandLine.setOut(new PrintWriter(out, true));
        assertThat(commandLine.execute(command, "--help")).isZero();
        return out.toString();
    }

    @Test
    void helpRunAndRunHelpPrintTheSameUsageAndTheTopLevelListsEveryCommand(@TempDir Path dir)
            throws Exception
    {
        AgentProcess.Result runHelp = AgentProcess.run(dir, Map.of(), "run", "--help");
        AgentProcess.Result helpRun = AgentProcess.run(dir, Map.of(), "help", "run");
        AgentProcess.Result top = AgentProcess.run(dir, Map.of(), "--help");

        assertThat(runHelp.exitCode()).isZero();
        assertThat(helpRun.exitCode()).isZero();
        assertThat(runHelp.stdout()).startsWith("Usage: outrider run [-hvV] [-c=FILE] [--env-file=FILE] [--log-level=LEVEL]\n")
                .contains("  -c, --config=FILE", "      --env-file=FILE", "  -v  ");
        assertThat(helpRun.stdout()).isEqualTo(runHelp.stdout());
        assertThat(runHelp.stderr()).isEmpty();
        assertThat(top.exitCode()).isZero();
        String commands = top.stdout().substring(top.stdout().indexOf("\nCommands:\n"));
        assertThat(commands.lines().filter(line -> line.matches("  [a-z-]+ .*")).map(line -> line.strip().split(" ")[0]).toList())
                .containsExactly("run", "validate", "plugins", "parse", "status", "tap", "top", "control", "test", "import-config", "run-once", "fim", "dead-letters", "buffer",
                        "tray", "configure", "version", "help");

        AgentProcess.Result unknown = AgentProcess.run(dir, Map.of(), "help", "runn");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).startsWith("Unknown subcommand 'runn'.");

        // the launcher starts tray and configure with the desktop module; without it they say so
        AgentProcess.Result tray = AgentProcess.run(dir, Map.of(), "tray");
        assertThat(tray.exitCode()).isEqualTo(1);
        assertThat(tray.stderr()).isEqualTo("outrider tray needs the desktop module (lib/desktop/ of the distribution); start it with bin/outrider tray\n");

        AgentProcess.Result nothing = AgentProcess.run(dir, Map.of());
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.stderr()).startsWith("Usage: outrider [-hvV] [--log-level=LEVEL] [COMMAND]\n").contains("  tray ", "  configure ");
    }

    @Test
    void everyCommandSaysWhichConfigurationItUsed(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);
        String yaml = """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  NAME:
                    inputs: { numbers: { type: counter, count: 1 } }
                    outputs: { out: { type: console } }
                """.formatted(plugins, dir.resolve("data"));
        Path explicit = Files.writeString(dir.resolve("explicit.yaml"), yaml.replace("NAME", "explicit"));
        Path fromVariable = Files.writeString(dir.resolve("variable.yaml"), yaml.replace("NAME", "variable"));
        Path systemConfig = AgentProcess.systemConfig(dir);

        AgentProcess.Result builtIn = AgentProcess.run(dir, Map.of(), "validate");
        assertThat(builtIn.stdout()).isEqualTo("configuration: built-in default (no -c, no OUTRIDER_CONFIG, no " + systemConfig + ")\n");
        // the default pipeline needs the file input and the sshd and linux_auth parsers, which are not installed here
        assertThat(builtIn.exitCode()).isEqualTo(2);
        assertThat(builtIn.stderr()).isEqualTo("""
                Configuration has 3 errors:

                1) <built-in default>:5:25: pipelines.ssh_auth.inputs.auth_log.type: unknown input type 'file' (available: counter); is its plugin installed in %1$s?
                2) <built-in default>:7:21: pipelines.ssh_auth.parsers.sshd.type: unknown parser type 'sshd' (available: tag); is its plugin installed in %1$s?
                3) <built-in default>:8:27: pipelines.ssh_auth.parsers.linux_auth.type: unknown parser type 'linux_auth' (available: tag); is its plugin installed in %1$s?
                """.formatted(plugins));

        Files.createDirectories(systemConfig.getParent());
        Files.writeString(systemConfig, yaml.replace("NAME", "installed"));
        AgentProcess.Result installed = AgentProcess.run(dir, Map.of(), "validate");
        assertThat(installed.exitCode()).as(installed.stderr()).isZero();
        assertThat(installed.stdout()).startsWith("configuration: " + systemConfig + " (the installed configuration)\n").contains("  installed: numbers (counter)");

        AgentProcess.Result variable = AgentProcess.run(dir, Map.of("OUTRIDER_CONFIG", fromVariable.toString()), "validate");
        assertThat(variable.exitCode()).as(variable.stderr()).isZero();
        assertThat(variable.stdout()).startsWith("configuration: " + fromVariable + " (from OUTRIDER_CONFIG)\n").contains("  variable: numbers (counter)");

        AgentProcess.Result option = AgentProcess.run(dir, Map.of("OUTRIDER_CONFIG", fromVariable.toString()), "validate", "-c", explicit.toString());
        assertThat(option.exitCode()).as(option.stderr()).isZero();
        assertThat(option.stdout()).startsWith("configuration: " + explicit + " (from -c)\n").contains("  explicit: numbers (counter)");

        // status and control find it the same way, and say which one has the endpoint off
        AgentProcess.Result status = AgentProcess.run(dir, Map.of("OUTRIDER_CONFIG", fromVariable.toString()), "status");
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.stderr()).isEqualTo("the status endpoint is off in the configuration " + fromVariable
                + " (from OUTRIDER_CONFIG); set agent.status.enabled: true and restart the agent, or name the agent's configuration with -c\n");
        AgentProcess.Result control = AgentProcess.run(dir, Map.of(), "control", "pause");
        assertThat(control.exitCode()).isEqualTo(3);
        assertThat(control.stderr()).isEqualTo("the control endpoint is off in the configuration " + systemConfig
                + " (the installed configuration); set agent.status.enabled: true and restart the agent, or name the agent's configuration with -c\n");

        Path missing = dir.resolve("missing.yaml");
        AgentProcess.Result notThere = AgentProcess.run(dir, Map.of("OUTRIDER_CONFIG", missing.toString()), "validate");
        assertThat(notThere.exitCode()).isEqualTo(2);
        assertThat(notThere.stderr()).isEqualTo("cannot load the configuration: configuration file " + missing + " does not exist or is not a file (from OUTRIDER_CONFIG)\n");
    }

    @Test
    void envFileVariablesResolveTheConfigurationAndTheEnvironmentWins(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);
        Path config = Files.writeString(Files.createDirectories(dir.resolve("conf")).resolve("outrider.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  p:
                    inputs: { numbers: { type: counter, count: "${COUNT}" } }
                    outputs: { out: { type: console } }
                """.formatted(plugins, dir.resolve("data")));
        Path envFile = Files.writeString(dir.resolve("vars.env"), "# written by hand\nexport COUNT=3\n");

        AgentProcess.Result without = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString());
        assertThat(without.exitCode()).isEqualTo(2);
        assertThat(without.stderr()).isEqualTo("""
                Configuration has 1 error:

                1) %s:4:48: pipelines.p.inputs.numbers.count: environment variable COUNT is not set; set it or write ${COUNT:-default}
                """.formatted(config));

        AgentProcess.Result with = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString(), "--env-file", envFile.toString());
        assertThat(with.exitCode()).as(with.stderr()).isZero();
        assertThat(with.stdout()).startsWith("configuration: " + config + " (from -c)\nvariables: " + envFile + " (the environment wins)\nConfiguration is valid: ");

        AgentProcess.Result environmentWins = AgentProcess.run(dir, Map.of("COUNT", "-1"), "validate", "-c", config.toString(), "--env-file", envFile.toString());
        assertThat(environmentWins.exitCode()).isEqualTo(2);
        assertThat(environmentWins.stderr()).isEqualTo("""
                Configuration has 1 error:

                1) %s:4:48: pipelines.p.inputs.numbers.count: must not be negative (input type 'counter' (plugin counter))
                """.formatted(config));

        // without --env-file: agent.env beside the configuration, else the installed one
        Files.createDirectories(AgentProcess.systemEnvFile(dir).getParent());
        Files.writeString(AgentProcess.systemEnvFile(dir), "COUNT=4\n");
        AgentProcess.Result installed = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString());
        assertThat(installed.exitCode()).as(installed.stderr()).isZero();
        assertThat(installed.stdout()).contains("variables: " + AgentProcess.systemEnvFile(dir) + " (the environment wins)\n");
        Path beside = Files.writeString(config.resolveSibling("agent.env"), "COUNT=5\n");
        AgentProcess.Result besideConfig = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString());
        assertThat(besideConfig.exitCode()).as(besideConfig.stderr()).isZero();
        assertThat(besideConfig.stdout()).contains("variables: " + beside + " (the environment wins)\n");

        AgentProcess.Result unreadable = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString(), "--env-file", dir.resolve("nope.env").toString());
        assertThat(unreadable.exitCode()).isEqualTo(2);
        assertThat(unreadable.stdout()).isEmpty();
        assertThat(unreadable.stderr()).isEqualTo("cannot read the env file " + dir.resolve("nope.env") + " (NoSuchFileException)\n");
    }

    @Test
    void theAgentLogsOneJournalLinePerRecordOnStandardErrorWithTheKeyMasked(@TempDir Path dir)
            throws Exception
    {
        Path config = leakyConfiguration(dir);
        Path envFile = Files.writeString(dir.resolve("secrets.env"), "LEAK_KEY=" + KEY + "\n");

        String stderr = runUntilLogged(dir.resolve("journal"), Map.of("JOURNAL_STREAM", "8:4242"), "delivered seq", "run", "-c", config.toString(), "--env-file",
                envFile.toString(), "--log-level", "debug");

        assertThat(stderr).doesNotContain(KEY).doesNotContain("\u001b");
        List<String> lines = stderr.lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).matches("<[3467]>.*"));
        assertThat(lines).contains("<6>INFO  RunCommand: configuration: " + config + " (from -c), variables from " + envFile,
                "<4>WARN  outrider.p.leaky: collector said:\\n401 for ****** \\u001b[31m(red)\\u001b[0m",
                "<7>DEBUG outrider.p.leaky: debug decision",
                "<7>DEBUG RunCommand: log level debug (from the command line)",
                "<7>DEBUG RunCommand: pipeline p: leaky (leaky) -> out (console)");
        // what the agent decides at debug: the plugins it loaded, the batches it delivered
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("<7>DEBUG Bootstrap: plugin ").endsWith(" loaded from " + dir.resolve("plugins").resolve("leaky")));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("<7>DEBUG DeliveryLoop: output p\\.out delivered seq (\\d+)\\.\\.\\1 \\(1 event\\(s\\)\\)"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("<3>ERROR outrider.p.leaky: refused\\njava.lang.IllegalStateException: key ****** refused\\n\\tat "));
    }

    @Test
    void withoutTheJournalEachRecordIsOneTimestampedLineAndTheLevelComesFromTheConfigurationUnlessGiven(@TempDir Path dir)
            throws Exception
    {
        Path config = leakyConfiguration(dir);
        Map<String, String> environment = Map.of("LEAK_KEY", KEY);

        String stderr = runUntilLogged(dir.resolve("plain"), environment, "refused", "run", "-c", config.toString());

        assertThat(stderr).doesNotContain(KEY).doesNotContain("debug decision");
        assertThat(stderr.lines().toList()).allSatisfy(line -> assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z (ERROR|WARN |INFO ) .*"))
                .anySatisfy(line -> assertThat(line).endsWith(" WARN  outrider.p.leaky: collector said:\\n401 for ****** \\u001b[31m(red)\\u001b[0m"));

        String verbose = runUntilLogged(dir.resolve("verbose"), environment, "debug decision", "run", "-c", config.toString(), "-v");
        assertThat(verbose).contains(" DEBUG outrider.p.leaky: debug decision").doesNotContain(KEY);

        String quiet = runUntilLogged(dir.resolve("quiet"), environment, "refused", "run", "-c", config.toString(), "--log-level", "ERROR");
        assertThat(quiet).doesNotContain("WARN ").doesNotContain("INFO ").doesNotContain(KEY);
        assertThat(quiet.lines().toList()).hasSize(1);
    }

    /** Runs the agent until its standard error has {@code marker}, stops it, and returns its standard error. */
    private static String runUntilLogged(Path workDir, Map<String, String> environment, String marker, String... arguments)
            throws Exception
    {
        AgentProcess agent = AgentProcess.start(workDir, environment, arguments);
        try {
            agent.awaitStdoutLines(1, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!agent.stderr().contains(marker) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        finally {
            agent.terminate();
        }
        assertThat(agent.waitFor(Duration.ofSeconds(30))).as(agent.stderr()).isZero();
        return agent.stderr();
    }

    private static Path plugins(Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin", SpiVersion.CURRENT);
        return plugins;
    }

    /** A configuration whose input logs its (sensitive) key in a warning and an error, and a debug record, then emits one event. */
    private static Path leakyConfiguration(Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("leaky").resolve("leaky.jar"), Map.of("example.leaky.LeakyPlugin", """
                package example.leaky;

                import io.outrider.spi.*;
                import io.outrider.spi.config.Sensitive;
                import java.util.*;

                public final class LeakyPlugin implements Plugin {
                    public record LeakyConfig(@Sensitive String apiKey) {}

                    @Override
                    public List<InputFactory<?>> inputFactories() {
                        return List.of(new InputFactory<LeakyConfig>() {
                            public String type() { return "leaky"; }
                            public Class<LeakyConfig> configClass() { return LeakyConfig.class; }
                            public Input create(LeakyConfig config, ComponentContext context) {
                                return new Input() {
                                    private volatile boolean closed;
                                    public void run(Emitter emitter) throws Exception {
                                        System.Logger log = context.logger();
                                        log.log(System.Logger.Level.WARNING, "collector said:\\n401 for " + config.apiKey() + " \\u001b[31m(red)\\u001b[0m");
                                        log.log(System.Logger.Level.DEBUG, "debug decision");
                                        log.log(System.Logger.Level.ERROR, "refused", new IllegalStateException("key " + config.apiKey() + " refused"));
                                        emitter.emit(List.of(Event.builder().timestamp(context.clock().instant()).message("one").build()), Checkpoint.of("done", "1"));
                                        synchronized (this) { while (!closed) { wait(50); } }
                                    }
                                    public void close() { closed = true; }
                                };
                            }
                        });
                    }
                }
                """), "example.leaky.LeakyPlugin", SpiVersion.CURRENT);
        return Files.writeString(dir.resolve("leaky.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  p:
                    inputs: { leaky: { type: leaky, api_key: "${LEAK_KEY}" } }
                    outputs: { out: { type: console, delivery: { max_wait: 10ms } } }
                """.formatted(plugins, dir.resolve("data")));
    }
}
