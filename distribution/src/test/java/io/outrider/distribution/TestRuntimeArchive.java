package io.outrider.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive with a bundled runtime ({@code outrider-<version>-linux-<arch>-with-runtime.tar.gz}) on a host without
 * Java: the launcher finds no java on the PATH and no JAVA_HOME, and the agent still runs, plugins and SQLite
 * included.
 */
class TestRuntimeArchive
{
    /** What bin/outrider calls besides shell built-ins; nothing else is on the PATH. */
    private static final List<String> LAUNCHER_TOOLS = List.of("dirname", "readlink", "uname", "grep");

    @Test
    void runsWithNoJavaOnThePath(@TempDir Path temp)
            throws Exception
    {
        Path archive = archive();
        Distribution distribution = unpack(temp);

        // jlink's runtime is for this machine only, and so are the native libraries beside it
        String arch = Distribution.thisArchitecture();
        assertThat(archive.getFileName().toString()).isEqualTo("outrider-" + Distribution.version() + "-linux-" + arch + "-with-runtime.tar.gz");
        assertThat(TestTarball.fileNames(distribution.path("lib/native"))).containsExactly("Linux-Musl-" + arch, "Linux-" + arch);

        Path tools = Files.createDirectories(temp.resolve("tools"));
        for (String tool : LAUNCHER_TOOLS) {
            Path found = List.of(Path.of("/usr/bin", tool), Path.of("/bin", tool)).stream().filter(Files::isExecutable).findFirst().orElseThrow();
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
        Map<String, String> noJava = new HashMap<>();
        noJava.put("PATH", tools.toString());
        noJava.put("JAVA_HOME", null);
        noJava.put("OUTRIDER_DATA_DIR", temp.resolve("data").toString());
        noJava.put("OUTRIDER_JAVA_OPTS", null);
        noJava.put("OUTRIDER_EXTRA_JAVA_OPTS", null);
        Commands.Result lookup = Commands.run(temp, noJava, Distribution.COMMAND_TIMEOUT, "/bin/sh", "-c", "command -v java || echo none");
        assertThat(lookup.stdout()).isEqualTo("none\n");

        Commands.Result version = Commands.run(temp, noJava, Distribution.COMMAND_TIMEOUT, distribution.path("bin/outrider").toString(), "--version");
        assertThat(version.exitCode()).as(version.describe()).isZero();
        assertThat(version.stdout()).startsWith("outrider " + Distribution.version() + " ");

        // a plugin (input-fim) with SQLite through the agent's native-free sqlite-jdbc and lib/native/
        Path tree = Files.createDirectories(temp.resolve("tree"));
        Files.writeString(tree.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        Path config = Files.writeString(temp.resolve("outrider.yaml"), """
                agent: { data_dir: %s }
                pipelines:
                  integrity:
                    inputs:
                      etc: { type: fim, paths: ["%s"], watch_agent_files: false }
                    outputs:
                      out: { type: console, format: text }
                """.formatted(temp.resolve("data"), tree));
        Commands.Result baseline = Commands.run(temp, noJava, Distribution.COMMAND_TIMEOUT, distribution.path("bin/outrider").toString(), "fim", "baseline", "-c", config.toString());
        assertThat(baseline.exitCode()).as(baseline.describe()).isZero();
        assertThat(baseline.stdout()).startsWith("integrity.etc — baseline built\n");
        // nothing from the JVM itself: Java 24 and newer warn about every System.load without native access granted
        assertThat(baseline.stderr()).as(baseline.describe()).doesNotContain("WARNING: A restricted method", "--enable-native-access");

        // the runtime is cut to the agent's modules, not a whole JDK
        Commands.Result modules = Commands.run(temp, noJava, Distribution.COMMAND_TIMEOUT, distribution.path("jre/bin/java").toString(), "--list-modules");
        assertThat(modules.exitCode()).as(modules.describe()).isZero();
        assertThat(modules.stdout()).contains("java.base@", "java.sql@", "java.net.http@", "jdk.crypto.ec@")
                .doesNotContain("jdk.compiler@", "jdk.jshell@", "java.xml.crypto@");
    }

    /**
     * A bundled Java 25 or newer comes with the AOT cache of the package-time training run, and the launcher starts
     * the agent from it wherever the archive is unpacked, with compact object headers; an older bundled runtime has
     * neither (the flags would stop it from starting).
     */
    @Test
    void bundledJava25StartsFromTheAotCacheWhereverUnpacked(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = unpack(temp);
        Path classLoading = temp.resolve("class-load.log");
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", null);
        environment.put("OUTRIDER_DATA_DIR", temp.resolve("data").toString());
        environment.put("OUTRIDER_JAVA_OPTS", null);
        environment.put("OUTRIDER_EXTRA_JAVA_OPTS", "-XX:+PrintCommandLineFlags -Xlog:class+load=info:file=" + classLoading);

        Commands.Result version = Commands.run(temp, environment, Distribution.COMMAND_TIMEOUT, distribution.path("bin/outrider").toString(), "--version");
        assertThat(version.exitCode()).as(version.describe()).isZero();
        List<String> lines = version.stdout().lines().toList();
        // -XX:+PrintCommandLineFlags prints the JVM's flags as the first line, then the agent its version
        assertThat(lines).as(version.describe()).hasSize(2);
        assertThat(lines.get(1)).startsWith("outrider " + Distribution.version() + " ");
        String flags = lines.get(0);
        String classesLoaded = Files.readString(classLoading);

        // the runtime is the one the build chose: -Doutrider.runtime.jdk, else Temurin 25 where installed, else the build's JDK
        String chosen = System.getProperty("outrider.runtime.jdk", "");
        Path temurin25 = Path.of("/usr/lib/jvm/temurin-25-jdk-" + ("aarch64".equals(Distribution.thisArchitecture()) ? "arm64" : "amd64"));
        Path expectedJdk = !chosen.isEmpty() ? Path.of(chosen) : Files.isExecutable(temurin25.resolve("bin/jlink")) ? temurin25 : Path.of(System.getProperty("java.home"));
        int bundledMajor = javaMajor(distribution.path("jre/release"));
        assertThat(bundledMajor).as("the bundled runtime's Java version, expected that of " + expectedJdk).isEqualTo(javaMajor(expectedJdk.resolve("release")));

        if (bundledMajor >= 25) {
            assertThat(distribution.path("lib/outrider.aot")).isRegularFile();
            assertThat(flags).contains("-XX:+UseCompactObjectHeaders", "-XX:AOTCache=" + distribution.path("lib/outrider.aot"));
            // the inlining its AOT cache's profiles were trained with, not the system Java 17's smaller one
            assertThat(flags).doesNotContain("FreqInlineSize");
            // the idle wake-ups of a system Java's launcher flags hold for the bundled runtime too
            assertThat(flags).contains("-XX:GuaranteedSafepointInterval=10000", "-XX:AsyncDeflationInterval=10000");
            // the agent's own classes come from the cache, made in the build's directory and used in this one
            assertThat(classesLoaded).contains("io.outrider.core.cli.Main source: shared objects file");
        }
        else {
            assertThat(distribution.path("lib/outrider.aot")).doesNotExist();
            assertThat(flags).doesNotContain("UseCompactObjectHeaders", "AOTCache");
            assertThat(classesLoaded).contains("io.outrider.core.cli.Main source: file:");
        }
    }

    /**
     * The bundled runtime says nothing of its own while the agent runs: Java 24 and newer warn on standard error (the
     * journal, under systemd) about every {@code System.load} without native access granted (sqlite-jdbc) and about
     * {@code sun.misc.Unsafe} memory access (Guava), unless the launcher allows both.
     */
    @Test
    void bundledRuntimeRunsThePipelineWithoutJvmWarnings(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = unpack(temp);
        Path config = Distribution.sshdToConsole(temp);
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", null);
        try (AgentProcess agent = distribution.start(config, temp.resolve("data"), environment)) {
            agent.awaitStdoutLines(2, Distribution.COMMAND_TIMEOUT);
            assertThat(agent.stdout().lines().count()).as(agent.describe()).isEqualTo(2);
            assertThat(agent.stop()).as(agent.describe()).isZero();
            assertThat(agent.stderr().lines().filter(line -> line.startsWith("WARNING:")).toList()).as(agent.describe()).isEmpty();
        }
    }

    private static Path archive()
    {
        Path archive = Path.of(System.getProperty("outrider.dist.runtime.tarball")).toAbsolutePath();
        assertThat(archive).as("the with-runtime archive; mvn verify builds it").isRegularFile();
        return archive;
    }

    /** The with-runtime archive unpacked into {@code directory}. */
    private static Distribution unpack(Path directory)
            throws IOException, InterruptedException
    {
        Commands.Result unpack = Commands.run(directory, Map.of(), Distribution.COMMAND_TIMEOUT, "tar", "-xzf", archive().toString());
        assertThat(unpack.exitCode()).as(unpack.describe()).isZero();
        return Distribution.at(directory.resolve("outrider-" + Distribution.version()));
    }

    private static int javaMajor(Path releaseFile)
            throws IOException
    {
        String version = Files.readAllLines(releaseFile).stream()
                .filter(line -> line.startsWith("JAVA_VERSION="))
                .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
                .findFirst()
                .orElseThrow(() -> new AssertionError(releaseFile + " has no JAVA_VERSION"));
        return Integer.parseInt(version.split("[.+]")[0]);
    }
}
