package io.outrider.spi;

import org.junit.jupiter.api.Test;

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
