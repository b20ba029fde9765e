package io.outrider.distribution;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/make-cds-archive on the tarball and a system Java (this JVM's, as JAVA_HOME): it makes lib/cds/outrider.jsa, a
 * static archive of the classes a training run loaded, bin/outrider then loads the JDK's and the core's classes from
 * it (the plugins' from their jars); and an archive that no longer fits (a jar touched, a jar added, another key) is
 * left out by the launcher without a word from the JVM, which on Java 17 would otherwise print a warning on standard
 * output, among a console output's events.
 */
class TestClassDataSharingArchive
{
    private static final Duration MAKE_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void makesTheArchiveAndStartsTheAgentFromIt(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Path archive = distribution.home().toRealPath().resolve("lib/cds/outrider.jsa");
        assertThat(check(distribution, temp).exitCode()).isEqualTo(1);

        Commands.Result make = make(distribution, temp);
        assertThat(make.exitCode()).as(make.describe()).isZero();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        assertThat(make.stdout()).as(make.describe())
                .matches("make-cds-archive: made \\Q" + archive + "\\E \\(\\d+ KiB\\) for \\Q" + java + "\\E\n");
        assertThat(make.stderr()).as(make.describe()).isEmpty();
        assertThat(archive).isRegularFile();
        assertThat(Files.readString(distribution.path("lib/cds/outrider.jsa.key")))
                .contains(java + " ", distribution.path("lib/agent-core-" + Distribution.version() + ".jar") + " ");
        assertThat(check(distribution, temp).exitCode()).isZero();

        // a command: the launcher's flags name the archive, the agent's classes come from it, nothing else is printed
        Path classLoading = temp.resolve("version-classes.log");
        Commands.Result version = version(distribution, temp, classLoading);
        assertThat(version.stdout().lines().toList()).as(version.describe()).hasSize(2);
        assertThat(version.stdout().lines().toList().get(0)).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(version.stdout().lines().toList().get(1)).startsWith("outrider " + Distribution.version() + " ");
        assertThat(version.stderr()).as(version.describe()).isEmpty();
        // a static archive in place of the JDK's: the JDK's classes and picocli's Java 5 classes come from it too
        assertThat(Files.readString(classLoading)).contains(
                "io.outrider.core.cli.Main source: shared objects file\n",
                "java.lang.Object source: shared objects file\n",
                "picocli.CommandLine source: shared objects file\n");

        // reached through a link to the home, as install.sh's /opt/outrider/current -> releases/VERSION: the same archive
        Distribution linked = Distribution.at(Files.createSymbolicLink(temp.resolve("current"), distribution.home()));
        Path linkedClassLoading = temp.resolve("linked-classes.log");
        Commands.Result linkedVersion = version(linked, temp, linkedClassLoading);
        assertThat(linkedVersion.stdout().lines().toList().get(0)).as(linkedVersion.describe()).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(Files.readString(linkedClassLoading)).contains("io.outrider.core.cli.Main source: shared objects file\n");
        assertThat(check(linked, temp).exitCode()).isZero();

        // the agent, started from the archive
        Path config = Distribution.sshdToConsole(temp);
        Path agentClasses = temp.resolve("agent-classes.log");
        try (AgentProcess agent = distribution.start(config, temp.resolve("data"),
                Map.of("OUTRIDER_EXTRA_JAVA_OPTS", "-Xlog:class+load=info:file=" + agentClasses))) {
            agent.awaitStdoutLines(2, Distribution.COMMAND_TIMEOUT);
            assertThat(agent.stdout().lines().toList()).as(agent.describe()).hasSize(2)
                    .allMatch(line -> line.contains("event.module=sshd"));
            assertThat(agent.stop()).as(agent.describe()).isZero();
            assertThat(agent.stderr().lines().filter(line -> line.startsWith("[") || line.startsWith("WARNING")).toList())
                    .as(agent.describe()).isEmpty();
        }
        // the core's from the archive; a plugin's from its own jar, by its own class loader, which a static archive
        // does not serve
        assertThat(Files.readString(agentClasses)).contains(
                "io.outrider.core.cli.RunCommand source: shared objects file\n",
                "io.outrider.core.storage.SqliteBuffer source: shared objects file\n");
        assertThat(Files.readString(agentClasses).lines().filter(line -> line.contains(" io.outrider.plugin.sshd.SshdParser ")))
                .singleElement(InstanceOfAssertFactories.STRING)
                .containsPattern(" source: file:\\S*/plugins/parser-sshd/parser-sshd-\\S*\\.jar$");

        Commands.Result remove = Commands.run(temp, environment(temp), Distribution.COMMAND_TIMEOUT,
                distribution.path("bin/make-cds-archive").toString(), "--remove");
        assertThat(remove.exitCode()).as(remove.describe()).isZero();
        assertThat(distribution.path("lib/cds")).doesNotExist();
    }

    @Test
    void leavesOutAnArchiveThatNoLongerFitsWithoutAWord(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Commands.Result make = make(distribution, temp);
        assertThat(make.exitCode()).as(make.describe()).isZero();
        Path key = distribution.path("lib/cds/outrider.jsa.key");
        String madeKey = Files.readString(key);

        // a jar touched (replaced by an upgrade with the same name): Java 17 itself would warn and go without
        Path guice = distribution.path("lib/guice-7.0.0.jar");
        FileTime made = Files.getLastModifiedTime(guice);
        Files.setLastModifiedTime(guice, FileTime.from(Instant.now().plusSeconds(60)));
        assertStartsWithoutTheArchive(distribution, temp, "touched");
        Files.setLastModifiedTime(guice, made);
        assertStartsFromTheArchive(distribution, temp);

        // a jar added to lib/: another class path
        Path extra = Files.copy(distribution.path("lib/jsr305-3.0.2.jar"), distribution.path("lib/zz-extra.jar"));
        assertStartsWithoutTheArchive(distribution, temp, "added");
        Files.delete(extra);
        assertStartsFromTheArchive(distribution, temp);

        // another key (the Java upgraded or JAVA_HOME another): one line of it differs
        Files.writeString(key, madeKey.replaceFirst("(?m)^(/\\S+/bin/java) \\d+", "$1 1"));
        assertStartsWithoutTheArchive(distribution, temp, "another-key");
        Files.writeString(key, madeKey);
        assertStartsFromTheArchive(distribution, temp);

        // replaced flags: the archive is for the launcher's own
        Path classLoading = temp.resolve("replaced-flags.log");
        Commands.Result replaced = Commands.run(temp, environment(temp, Map.of("OUTRIDER_JAVA_OPTS", "-XX:+UseSerialGC -XX:+PrintCommandLineFlags",
                "OUTRIDER_EXTRA_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLoading)), Distribution.COMMAND_TIMEOUT,
                distribution.path("bin/outrider").toString(), "--version");
        assertThat(replaced.exitCode()).as(replaced.describe()).isZero();
        assertThat(replaced.stdout()).doesNotContain("SharedArchiveFile");
        assertThat(Files.readString(classLoading)).contains("io.outrider.core.cli.Main source: file:");
    }

    @Test
    void ifStaleMakesTheArchiveOnlyWhenTheLauncherWouldNotUseTheOneThereIs(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Path archive = distribution.home().toRealPath().resolve("lib/cds/outrider.jsa");
        String made = "make-cds-archive: made \\Q" + archive + "\\E \\(\\d+ KiB\\) for .*\n";

        // none yet (a package's first start where the install could not make one): made
        Commands.Result first = ifStale(distribution, temp);
        assertThat(first.exitCode()).as(first.describe()).isZero();
        assertThat(first.stdout()).as(first.describe()).matches(made);
        assertThat(check(distribution, temp).exitCode()).isZero();

        // current: the service's every start, not a word
        Commands.Result current = ifStale(distribution, temp);
        assertThat(current.exitCode()).as(current.describe()).isZero();
        assertThat(current.stdout() + current.stderr()).as(current.describe()).isEmpty();

        // the key no longer fits (a Java upgraded under an .rpm, a jar replaced): made again, and used
        Path guice = distribution.path("lib/guice-7.0.0.jar");
        Files.setLastModifiedTime(guice, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(check(distribution, temp).exitCode()).isEqualTo(1);
        Commands.Result stale = ifStale(distribution, temp);
        assertThat(stale.exitCode()).as(stale.describe()).isZero();
        assertThat(stale.stdout()).as(stale.describe()).matches(made);
        assertStartsFromTheArchive(distribution, temp);
    }

    private static Commands.Result ifStale(Distribution distribution, Path temp)
            throws IOException, InterruptedException
    {
        return Commands.run(temp, environment(temp), MAKE_TIMEOUT, distribution.path("bin/make-cds-archive").toString(), "--if-stale");
    }

    private static void assertStartsWithoutTheArchive(Distribution distribution, Path temp, String name)
            throws IOException, InterruptedException
    {
        Path classLoading = temp.resolve(name + "-classes.log");
        Commands.Result version = version(distribution, temp, classLoading);
        assertThat(version.exitCode()).as(version.describe()).isZero();
        // the JVM's flags, then the version: no line of the JVM's own
        List<String> lines = version.stdout().lines().toList();
        assertThat(lines).as(version.describe()).hasSize(2);
        assertThat(lines.get(0)).doesNotContain("SharedArchiveFile");
        assertThat(lines.get(1)).startsWith("outrider " + Distribution.version() + " ");
        assertThat(version.stderr()).as(version.describe()).isEmpty();
        assertThat(Files.readString(classLoading)).contains("io.outrider.core.cli.Main source: file:", "picocli.CommandLine source: file:");
        assertThat(check(distribution, temp).exitCode()).isEqualTo(1);
    }

    private static void assertStartsFromTheArchive(Distribution distribution, Path temp)
            throws IOException, InterruptedException
    {
        Path classLoading = temp.resolve("classes.log");
        Files.deleteIfExists(classLoading);
        Commands.Result version = version(distribution, temp, classLoading);
        assertThat(version.exitCode()).as(version.describe()).isZero();
        assertThat(Files.readString(classLoading)).contains("io.outrider.core.cli.Main source: shared objects file\n");
    }

    /** {@code bin/outrider --version} with the JVM's flags printed first and its class loading logged to a file. */
    private static Commands.Result version(Distribution distribution, Path temp, Path classLoading)
            throws IOException, InterruptedException
    {
        return Commands.run(temp, environment(temp, Map.of("OUTRIDER_EXTRA_JAVA_OPTS", "-XX:+PrintCommandLineFlags -Xlog:class+load=info:file=" + classLoading)),
                Distribution.COMMAND_TIMEOUT, distribution.path("bin/outrider").toString(), "--version");
    }

    private static Commands.Result make(Distribution distribution, Path temp)
            throws IOException, InterruptedException
    {
        return Commands.run(temp, environment(temp), MAKE_TIMEOUT, distribution.path("bin/make-cds-archive").toString());
    }

    private static Commands.Result check(Distribution distribution, Path temp)
            throws IOException, InterruptedException
    {
        return Commands.run(temp, environment(temp), Distribution.COMMAND_TIMEOUT, distribution.path("bin/make-cds-archive").toString(), "--check");
    }

    private static Map<String, String> environment(Path temp)
    {
        return environment(temp, Map.of());
    }

    /** This JVM's Java as the system Java, a data directory of the test's own, no flags from the test's environment. */
    private static Map<String, String> environment(Path temp, Map<String, String> extra)
    {
        return Distribution.agentEnvironment(temp.resolve("data"), extra);
    }
}
