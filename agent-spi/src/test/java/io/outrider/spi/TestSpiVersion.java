package io.outrider.spi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSpiVersion
{
    @Test
    void constantMatchesTheVersionTheBuildWritesIntoManifests()
    {
        // surefire passes the pom's outrider.spi.version; the two must never drift apart
        assertThat(SpiVersion.CURRENT).isEqualTo(System.getProperty("outrider.spi.version"));
    }

    @Test
    void versionIsReadFromTheFileTheBuildWritesIntoTheJar()
            throws IOException
    {
        Properties written = new Properties();
        try (InputStream in = SpiVersion.class.getResourceAsStream("spi-version.properties")) {
            assertThat(in).as("io/outrider/spi/spi-version.properties in agent-spi").isNotNull();
            written.load(in);
        }
        assertThat(written.getProperty("version")).isEqualTo(SpiVersion.CURRENT);
    }

    @Test
    void onlyTheRootPomSetsTheVersion()
            throws IOException
    {
        // the plugin kit and the built-in plugins' parent read it from the agent-spi jar; a literal anywhere else
        // would be a second source that drifts
        Path reactor = Path.of("").toAbsolutePath().getParent();
        Pattern literal = Pattern.compile("<outrider\\.spi\\.version>\\s*\\d");
        List<Path> setting;
        try (Stream<Path> poms = Files.walk(reactor, 3)) {
            setting = poms.filter(path -> path.getFileName().toString().equals("pom.xml"))
                    .filter(path -> !path.toString().contains("/target/"))
                    .filter(path -> {
                        try {
                            return literal.matcher(Files.readString(path)).find();
                        }
                        catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .map(reactor::relativize)
                    .toList();
        }
        assertThat(setting).containsExactly(Path.of("pom.xml"));
    }

    @Test
    void sameMajorAndLowerOrEqualMinorIsCompatible()
    {
        assertThat(SpiVersion.isCompatible(SpiVersion.MAJOR + ".0")).isTrue();
        assertThat(SpiVersion.isCompatible(SpiVersion.CURRENT)).isTrue();
        assertThat(SpiVersion.isCompatible(SpiVersion.MAJOR + "." + SpiVersion.MINOR + ".7")).isTrue();
        assertThat(SpiVersion.isCompatible(SpiVersion.MAJOR + "." + (SpiVersion.MINOR + 1))).isFalse();
        assertThat(SpiVersion.isCompatible((SpiVersion.MAJOR + 1) + ".0")).isFalse();
        assertThat(SpiVersion.isCompatible((SpiVersion.MAJOR - 1) + ".9")).isFalse();
    }

    @Test
    void malformedVersionIsRejectedWithTheText()
    {
        assertThatThrownBy(() -> SpiVersion.parse("one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SPI version 'one' is not of the form MAJOR.MINOR");
        assertThatThrownBy(() -> SpiVersion.parse("1.-2")).hasMessage("SPI version '1.-2' is not of the form MAJOR.MINOR");
    }
}
