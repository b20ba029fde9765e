package io.outrider.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A nested Maven build that reaches no network: a fresh local repository (so what the test installs stays in the
 * test) whose only remote is the build's own local repository, which holds every Maven plugin and library the
 * reactor used, and so everything the example plugin needs.
 */
final class MavenSandbox
{
    private MavenSandbox() {}

    /** The mvn of the Maven running these tests. */
    static String mvn()
    {
        Path mvn = Path.of(System.getProperty("outrider.maven.home"), "bin", "mvn");
        return Files.isExecutable(mvn) ? mvn.toString() : "mvn";
    }

    /** Writes {@code settings.xml} into {@code directory} and returns it. */
    static Path settings(Path directory)
            throws IOException
    {
        Path cache = Path.of(System.getProperty("outrider.maven.repo")).toAbsolutePath().normalize();
        Path settings = directory.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>build-cache</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(cache.toUri()), StandardCharsets.UTF_8);
        return settings;
    }
}
