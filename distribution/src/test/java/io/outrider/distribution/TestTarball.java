package io.outrider.distribution;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The tarball an operator downloads: its layout, and the agent in it validating and running its configurations. */
class TestTarball
{
    /** The built-in plugins the shipped example configurations need. */
    private static final List<String> BUILT_IN_PLUGINS = List.of("input-file", "parser-sshd", "parser-linux-auth", "output-http", "input-fim", "input-journald", "output-syslog");

    @Test
    void hasTheOperatorLayout(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        String version = Distribution.version();

        for (String executable : List.of("bin/outrider", "bin/make-distribution", "bin/make-cds-archive", "install.sh", "container/docker-entrypoint.sh", "container/healthcheck.sh", "sdk/install-sdk.sh")) {
            assertThat(distribution.path(executable)).as(executable).isRegularFile().isExecutable();
        }
        for (String file : List.of("README.md", "config/outrider.yaml", "config/examples/ssh-to-litesoc.yaml", "config/examples/files-fim-to-lognog.yaml",
                "config/examples/journald-to-syslog.yaml", "systemd/outrider.service", "systemd/agent.env", "container/Dockerfile",
                "container/docker-compose.yml", "container/k8s/daemonset.yaml", "docs/plugin-authors.md",
                // what the README and the example configurations point an operator to
                "docs/security-events.md", "docs/tls.md", "docs/footprint.md", "docs/reference/README.md", "docs/reference/output-syslog.md",
                "docs/plugins/output-syslog.md", "docs/plugins/input-fim.md", "sdk/agent-spi-" + version + "-sources.jar", "sdk/agent-spi-" + version + ".api",
                "sdk/outrider-plugin-parent-" + version + ".pom", "sdk/examples/nginx-access-parser/pom.xml",
                "sdk/agent-spi-testkit-" + version + ".jar", "sdk/agent-spi-testkit-" + version + ".pom", "sdk/agent-config-" + version + ".pom", "sdk/plugin-support-" + version + ".pom",
                "sdk/outrider-parent-" + version + ".pom", "lib/agent-config-" + version + ".jar",
                "lib/agent-core-" + version + ".jar", "lib/agent-spi-" + version + ".jar")) {
            assertThat(distribution.path(file)).as(file).isRegularFile();
        }
        assertThat(Files.readString(distribution.path("VERSION")).trim()).isEqualTo(version);
        // generated from the command definitions at build time
        assertThat(Files.readString(distribution.path("share/man/man1/outrider.1"))).startsWith(".TH OUTRIDER 1 ").contains(".SS run\n", ".SS validate\n", "\\-\\-log\\-level");
        assertThat(Files.readString(distribution.path("share/bash-completion/completions/outrider"))).contains("complete -F _complete_outrider", "run validate plugins", "--env-file");
        assertThat(distribution.path("sdk/examples/nginx-access-parser/target")).doesNotExist();
        // the class-data sharing archive is made at install time, for the Java there (TestClassDataSharingArchive)
        assertThat(distribution.path("lib/cds")).doesNotExist();

        assertThat(fileNames(distribution.path("plugins"))).containsAll(BUILT_IN_PLUGINS);
        for (String plugin : fileNames(distribution.path("plugins"))) {
            // plugins share the agent's SPI; their own copy would make their Plugin a different class
            assertThat(fileNames(distribution.path("plugins/" + plugin))).as("plugins/" + plugin)
                    .anyMatch(name -> name.startsWith(plugin + "-"))
                    .noneMatch(name -> name.startsWith("agent-spi") || name.startsWith("agent-core"));
        }
        // built-in plugins are loaded from plugins/ like third-party ones, never from the core class path
        assertThat(fileNames(distribution.path("lib"))).noneMatch(name -> BUILT_IN_PLUGINS.stream().anyMatch(name::startsWith));
        // and built like third-party ones: their parent is build/plugin-parent, whose parent is the plugin kit the SDK ships
        for (String plugin : fileNames(distribution.path("plugins"))) {
            try (JarFile jar = new JarFile(distribution.path("plugins/" + plugin + "/" + plugin + "-" + version + ".jar").toFile());
                    InputStream pom = jar.getInputStream(jar.getEntry("META-INF/maven/io.outrider/" + plugin + "/pom.xml"))) {
                assertThat(new String(pom.readAllBytes(), StandardCharsets.UTF_8)).as(plugin).contains("<artifactId>outrider-builtin-plugin-parent</artifactId>");
            }
        }

        Commands.Result versionCommand = distribution.outrider(temp.resolve("data"), Map.of(), "version");
        assertThat(versionCommand.exitCode()).as(versionCommand.describe()).isZero();
        assertThat(versionCommand.stdout()).contains(version);
    }

    @Test
    void validatesTheDefaultAndExampleConfigurations(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Path data = temp.resolve("data");
        Map<String, String> collectors = Map.of(
                "OUTRIDER_SERVER", "https://collector.example",
                "OUTRIDER_API_KEY", "test-key",
                "LOGNOG_SERVER", "https://lognog.example",
                "LOGNOG_API_KEY", "test-key");

        Commands.Result defaults = distribution.outrider(data, Map.of(), "validate", "-c", "config/outrider.yaml");
        assertThat(defaults.exitCode()).as(defaults.describe()).isZero();
        assertThat(defaults.stdout()).contains("ssh_auth: auth_log (file) -> sshd (sshd) -> linux_auth (linux_auth) -> console (console)");

        Commands.Result litesoc = distribution.outrider(data, collectors, "validate", "-c", "config/examples/ssh-to-litesoc.yaml");
        assertThat(litesoc.exitCode()).as(litesoc.describe()).isZero();
        assertThat(litesoc.stdout()).contains("ssh_auth: auth_log (file) -> sshd (sshd) -> linux_auth (linux_auth) -> litesoc (http)");

        Commands.Result lognog = distribution.outrider(data, collectors, "validate", "-c", "config/examples/files-fim-to-lognog.yaml");
        assertThat(lognog.exitCode()).as(lognog.describe()).isZero();
        assertThat(lognog.stdout()).contains("logs: system_logs (file) -> lognog (http)", "integrity: fim (fim) -> lognog (http)");

        Commands.Result syslog = distribution.outrider(data, Map.of(), "validate", "-c", "config/examples/journald-to-syslog.yaml");
        assertThat(syslog.exitCode()).as(syslog.describe()).isZero();
        assertThat(syslog.stdout()).contains("journal: journal (journald) -> siem (syslog)");
    }

    /**
     * Without a locale (a container, env -i) Java turns file names into text by ASCII: a log named café.log was never
     * found. The launcher gives the agent a UTF-8 character type whatever the locale.
     */
    @Test
    void findsAFileWhoseNameIsNotAsciiWithoutALocale(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Path logs = Files.createDirectories(temp.resolve("journaux"));
        Map<String, String> noLocale = new java.util.HashMap<>();
        noLocale.put("LANG", null);
        noLocale.put("LC_ALL", null);
        noLocale.put("LC_CTYPE", null);
        // the name made and passed by the shell, as bytes: this test's own Java may have no UTF-8 locale either
        String script = "name=$(printf 'acc\\303\\250s-caf\\303\\251.log') && "
                + "printf '%s\\n' 'Nov 23 08:01:12 host sshd[2301]: Failed password for invalid user bob from 203.0.113.5 port 4242 ssh2' > \"$1/$name\" && "
                + "exec \"$2\" parse --parser sshd \"$1/$name\"";

        Commands.Result parsed = Commands.run(logs, Distribution.agentEnvironment(temp.resolve("data"), noLocale), Duration.ofSeconds(60),
                "sh", "-c", script, "sh", logs.toString(), distribution.path("bin/outrider").toString());

        assertThat(parsed.exitCode()).as(parsed.describe()).isZero();
        assertThat(parsed.stdout()).as(parsed.describe()).contains("\"event.action\":\"auth.login_failed\"").contains("\"user.name\":\"bob\"").contains("accès-café.log");
    }

    @Test
    void runsTheDefaultConfigurationAndStopsCleanlyOnSigterm(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Path data = temp.resolve("data");

        try (AgentProcess agent = distribution.start(distribution.path("config/outrider.yaml"), data, Map.of())) {
            // the buffer exists once the agent has opened its store and started its pipelines
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(data.resolve("buffer.db")) && agent.isAlive() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertThat(data.resolve("buffer.db")).as(agent.describe()).exists();
            assertThat(agent.isAlive()).as(agent.describe()).isTrue();
            assertThat(agent.stop()).as(agent.describe()).isZero();
        }
    }

    /**
     * The AOT cache and compact object headers are for the bundled Java 25 of the -with-runtime downloads only: on
     * a system Java (17 here) the JDK's classes come from the JDK's own class-data sharing archive and the agent's
     * from lib/.
     */
    @Test
    void aSystemJavaGetsNoAotCacheAndNoCompactHeaders(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Path classLoading = temp.resolve("class-load.log");
        Commands.Result version = distribution.outrider(temp.resolve("data"),
                Map.of("OUTRIDER_EXTRA_JAVA_OPTS", "-XX:+PrintCommandLineFlags -Xlog:class+load=info:file=" + classLoading), "--version");
        assertThat(version.exitCode()).as(version.describe()).isZero();
        List<String> lines = version.stdout().lines().toList();
        assertThat(lines).as(version.describe()).hasSize(2);
        assertThat(lines.get(0)).doesNotContain("UseCompactObjectHeaders", "AOTCache");
        // C2's smaller inlining, which bounds a burst's peak on Java 17, is the system Java's (see bin/outrider)
        assertThat(lines.get(0)).contains("-XX:FreqInlineSize=100");
        // an idle agent's JVM housekeeping looks every 10 s, not every quarter second (see bin/outrider)
        assertThat(lines.get(0)).contains("-XX:GuaranteedSafepointInterval=10000", "-XX:AsyncDeflationInterval=10000", "-XX:TrimNativeHeapInterval=15000");
        assertThat(lines.get(1)).startsWith("outrider " + Distribution.version() + " ");
        assertThat(distribution.path("lib/outrider.aot")).doesNotExist();
        String classesLoaded = Files.readString(classLoading);
        assertThat(classesLoaded).contains("java.lang.Object source: shared objects file", "io.outrider.core.cli.Main source: file:")
                .doesNotContain("io.outrider.core.cli.Main source: shared objects file");
    }

    /**
     * A system Java 24 or newer (Temurin 25 here, as JAVA_HOME) warns on standard error, the journal under systemd,
     * about sqlite-jdbc's {@code System.load} and Guava's {@code sun.misc.Unsafe} use unless the launcher allows both,
     * as Java 17 does; it gets those two flags and none of the bundled runtime's own.
     */
    @Test
    void aSystemJava24OrNewerRunsThePipelineWithoutJvmWarnings(@TempDir Path temp)
            throws Exception
    {
        Path temurin25 = Path.of("/usr/lib/jvm/temurin-25-jdk-" + ("aarch64".equals(Distribution.thisArchitecture()) ? "arm64" : "amd64"));
        if (!Files.isExecutable(temurin25.resolve("bin/java"))) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI has Temurin 25 at " + temurin25 + ", and it is not there");
            }
            Assumptions.abort("No Temurin 25 at " + temurin25 + " to run the agent on a system Java 24 or newer.");
        }
        Distribution distribution = Distribution.unpack(temp);
        Path config = Distribution.sshdToConsole(temp);
        Map<String, String> environment = Map.of("JAVA_HOME", temurin25.toString());

        Commands.Result flags = Commands.run(temp, Distribution.agentEnvironment(temp.resolve("data"), Map.of("JAVA_HOME", temurin25.toString(), "OUTRIDER_PRINT_JAVA_OPTIONS", "1")),
                Distribution.COMMAND_TIMEOUT, distribution.path("bin/outrider").toString(), "run");
        assertThat(flags.exitCode()).as(flags.describe()).isZero();
        assertThat(flags.stdout()).as(flags.describe())
                .contains(" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow ", "-XX:FreqInlineSize=100")
                .doesNotContain("UseCompactObjectHeaders", "AOTCache", "-Xmx128m");

        try (AgentProcess agent = distribution.start(config, temp.resolve("data"), environment)) {
            agent.awaitStdoutLines(2, Distribution.COMMAND_TIMEOUT);
            assertThat(agent.stdout().lines().toList()).as(agent.describe()).hasSize(2)
                    .allMatch(line -> line.contains("event.module=sshd"));
            assertThat(agent.stop()).as(agent.describe()).isZero();
            assertThat(agent.stderr().lines().filter(line -> line.startsWith("WARNING")).toList()).as(agent.describe()).isEmpty();
        }
    }

    @Test
    void platformArchiveIsTheTarballWithoutTheOtherArchitectureAndRunsHere(@TempDir Path temp)
            throws Exception
    {
        Distribution both = Distribution.unpack(temp.resolve("both"));
        String arch = Distribution.thisArchitecture();
        Distribution platform = Distribution.unpack(temp.resolve(arch), Distribution.platformTarball(arch));

        // the same files (JNA's jar is cut to one library, under the same name) but lib/native/ of the other architecture
        String other = "lib/native/Linux-" + Distribution.otherArchitecture() + "/";
        String otherMusl = "lib/native/Linux-Musl-" + Distribution.otherArchitecture() + "/";
        assertThat(relativeFiles(platform.home()))
                .containsExactlyElementsOf(relativeFiles(both.home()).stream().filter(file -> !file.startsWith(other) && !file.startsWith(otherMusl)).toList());
        assertThat(platform.path("bin/outrider")).isExecutable();
        assertThat(platform.path("install.sh")).isExecutable();

        // SQLite from lib/native/Linux-<arch>/: the agent opens its buffer and runs
        Path data = temp.resolve("data");
        try (AgentProcess agent = platform.start(platform.path("config/outrider.yaml"), data, Map.of())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(data.resolve("buffer.db")) && agent.isAlive() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertThat(data.resolve("buffer.db")).as(agent.describe()).exists();
            assertThat(agent.isAlive()).as(agent.describe()).isTrue();
            assertThat(agent.stop()).as(agent.describe()).isZero();
        }
    }

    /** Every regular file under {@code home}, relative to it, sorted. */
    private static List<String> relativeFiles(Path home)
            throws IOException
    {
        try (Stream<Path> files = Files.walk(home)) {
            return files.filter(Files::isRegularFile).map(file -> home.relativize(file).toString()).sorted().toList();
        }
    }

    static List<String> fileNames(Path directory)
            throws IOException
    {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
