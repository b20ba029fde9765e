package io.outrider.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tarball the build made ({@code outrider-<version>.tar.gz}), unpacked into a test's temporary directory the
 * way an operator unpacks it, and the agent in it run through {@code bin/outrider}.
 */
final class Distribution
{
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;

    private Distribution(Path home)
    {
        this.home = home;
    }

    static Path tarball()
    {
        return Path.of(System.getProperty("outrider.dist.tarball")).toAbsolutePath().normalize();
    }

    static String version()
    {
        return System.getProperty("outrider.version");
    }

    /** {@code outrider-<version>-linux-<arch>.tar.gz}, the download with the native libraries of {@code arch} only. */
    static Path platformTarball(String arch)
    {
        return Path.of(System.getProperty("outrider.dist.linux." + arch + ".tarball")).toAbsolutePath().normalize();
    }

    /** The architecture of this machine as the downloads name it: {@code x86_64} or {@code aarch64}. */
    static String thisArchitecture()
    {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    /** The other of the two Linux architectures the downloads are built for. */
    static String otherArchitecture()
    {
        return "x86_64".equals(thisArchitecture()) ? "aarch64" : "x86_64";
    }

    /** Unpacks the tarball with {@code tar} into {@code directory}; the agent is in {@code outrider-<version>/}. */
    static Distribution unpack(Path directory)
            throws IOException, InterruptedException
    {
        return unpack(directory, tarball());
    }

    /** Unpacks {@code tarball} (one of the Linux downloads) with {@code tar} into {@code directory}. */
    static Distribution unpack(Path directory, Path tarball)
            throws IOException, InterruptedException
    {
        assertThat(tarball).as("the tarball; run the tests with mvn verify, which builds it first").isRegularFile();
        Files.createDirectories(directory);
        Commands.Result result = Commands.run(directory, Map.of(), COMMAND_TIMEOUT, "tar", "-xzf", tarball.toString());
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return at(directory.resolve("outrider-" + version()));
    }

    /** A distribution already unpacked (or assembled) at {@code home}. */
    static Distribution at(Path home)
    {
        assertThat(home.resolve("bin/outrider")).isExecutable();
        return new Distribution(home);
    }

    Path home()
    {
        return home;
    }

    Path path(String relative)
    {
        return home.resolve(relative);
    }

    /**
     * The environment for the agent: this JVM as its Java, and a data directory of the test's own, so nothing
     * touches /var/lib/outrider or the home directory.
     */
    static Map<String, String> agentEnvironment(Path dataDir, Map<String, String> extra)
    {
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        environment.put("OUTRIDER_DATA_DIR", dataDir.toString());
        environment.put("OUTRIDER_JAVA_OPTS", null);
        environment.put("OUTRIDER_EXTRA_JAVA_OPTS", null);
        environment.putAll(extra);
        return environment;
    }

    /**
     * Writes two sshd lines (a failed password, an accepted key) to {@code directory/auth.log} and a configuration
     * that reads them from the beginning through the sshd parser to the console as text; returns the configuration.
     */
    static Path sshdToConsole(Path directory)
            throws IOException
    {
        Path log = Files.writeString(directory.resolve("auth.log"), """
                Jun 10 00:00:03 gw01 sshd[1005]: Failed password for root from 198.51.100.139 port 41027 ssh2
                Jun 10 00:00:05 gw01 sshd[1018]: Accepted publickey for erin from 10.20.30.43 port 3446 ssh2: ECDSA SHA256:QkbLnrUCDhem2OHvhtPGP5mA6redsmkRwfNpYu6MS20
                """);
        return Files.writeString(directory.resolve("outrider.yaml"), """
                pipelines:
                  ssh:
                    inputs:
                      auth: { type: file, paths: ["%s"], read_from: beginning }
                    parsers:
                      sshd: { type: sshd }
                    outputs:
                      out: { type: console, format: text }
                """.formatted(log));
    }

    /** {@code bin/outrider ARGS} to its end. */
    Commands.Result outrider(Path dataDir, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException
    {
        Files.createDirectories(dataDir);
        List<String> command = new java.util.ArrayList<>();
        command.add(home.resolve("bin/outrider").toString());
        command.addAll(List.of(arguments));
        return Commands.run(home, agentEnvironment(dataDir, environment), COMMAND_TIMEOUT, command);
    }

    /** Starts {@code bin/outrider run -c CONFIG}; stop it with {@link AgentProcess#stop()}. */
    AgentProcess start(Path config, Path dataDir, Map<String, String> environment)
            throws IOException
    {
        return AgentProcess.start(home, config, agentEnvironment(dataDir, environment), dataDir.resolveSibling(dataDir.getFileName() + "-agent"));
    }
}
