package io.outrider.core;

import io.outrider.core.config.ConfigLoader;
import io.outrider.core.pipeline.Agent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * agent-config and agent-core share no package: on the class path a split package silently lets one jar use the
 * other's package-private members, which breaks as soon as either is loaded apart (the desktop, the test kit) or on a
 * module path.
 */
class TestNoSplitPackages
{
    @Test
    void agentConfigAndAgentCoreHaveNoPackageInCommon()
            throws Exception
    {
        Set<String> config = packagesOf(Path.of(ConfigLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        Set<String> core = packagesOf(Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI()));

        assertThat(config).contains("io.outrider.core.config", "io.outrider.core.control");
        assertThat(core).contains("io.outrider.core.pipeline", "io.outrider.core.storage");
        Set<String> shared = new TreeSet<>(config);
        shared.retainAll(core);
        assertThat(shared).as("packages in both agent-config and agent-core").isEmpty();
    }

    private static Set<String> packagesOf(Path classes)
            throws IOException, URISyntaxException
    {
        if (Files.isDirectory(classes)) {
            return packagesUnder(classes);
        }
        try (FileSystem jar = FileSystems.newFileSystem(classes, Map.of())) {
            return packagesUnder(jar.getPath("/"));
        }
    }

    private static Set<String> packagesUnder(Path root)
            throws IOException
    {
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(file -> file.toString().endsWith(".class") && !file.getFileName().toString().equals("module-info.class"))
                    .map(file -> root.relativize(file.getParent()).toString().replace('/', '.'))
                    .filter(name -> !name.isEmpty() && !name.startsWith("META-INF"))
                    .forEach(packages::add);
        }
        return packages;
    }
}
