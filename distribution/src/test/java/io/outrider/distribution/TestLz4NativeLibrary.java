package io.outrider.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buffer compresses its blocks with lz4-java's native library from lib/native/, which bin/outrider puts on the
 * library path: the jar carries no native library, so none is ever extracted to a temporary directory.
 */
class TestLz4NativeLibrary
{
    @Test
    void theAgentCompressesWithTheLibraryInLibNativeAndTheJarCarriesNone(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp.resolve("dist"));
        Path jar;
        try (Stream<Path> files = Files.list(distribution.path("lib"))) {
            jar = files.filter(file -> file.getFileName().toString().startsWith("lz4-java-")).findFirst().orElseThrow();
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName).filter(name -> name.matches(".*\\.(so|dylib|dll)"))).isEmpty();
            assertThat(zip.getEntry("net/jpountz/lz4/LZ4Factory.class")).isNotNull();
        }
        Path library = distribution.path("lib/native/Linux-" + Distribution.thisArchitecture() + "/liblz4-java.so").toRealPath();

        try (AgentProcess agent = distribution.start(Distribution.sshdToConsole(temp), temp.resolve("data"), Map.of())) {
            agent.awaitStdoutLines(2, Duration.ofSeconds(60));
            assertThat(agent.stdout().lines().count()).as(agent.describe()).isEqualTo(2);

            List<String> mapped = Files.readAllLines(Path.of("/proc", String.valueOf(agent.pid()), "maps")).stream()
                    .filter(line -> line.contains("lz4"))
                    .map(line -> line.substring(line.indexOf('/')))
                    .distinct()
                    .toList();
            assertThat(mapped).as(agent.describe()).containsExactly(library.toString());
            assertThat(agent.stop()).isZero();
        }
    }
}
