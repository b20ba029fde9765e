package io.outrider.spi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDataSize
{
    @Test
    void parsesDecimalAndBinaryUnits()
    {
        assertThat(DataSize.parse("100").bytes()).isEqualTo(100);
        assertThat(DataSize.parse("100B").bytes()).isEqualTo(100);
        assertThat(DataSize.parse("10KB").bytes()).isEqualTo(10_000);
        assertThat(DataSize.parse("64KiB").bytes()).isEqualTo(65_536);
        assertThat(DataSize.parse("256 mib").bytes()).isEqualTo(256L << 20);
        assertThat(DataSize.parse("1GB").bytes()).isEqualTo(1_000_000_000L);
        assertThat(DataSize.parse("2GiB").bytes()).isEqualTo(2L << 30);
    }

    @Test
    void printsTheLargestExactBinaryUnit()
    {
        assertThat(DataSize.parse("256MiB")).hasToString("256MiB");
        assertThat(DataSize.ofBytes(1000)).hasToString("1000B");
    }

    @Test
    void rejectsGarbageAndOverflow()
    {
        assertThatThrownBy(() -> DataSize.parse("ten"))
                .hasMessage("'ten' is not a size: use bytes or a number with B, KB, MB, GB, KiB, MiB or GiB");
        assertThatThrownBy(() -> DataSize.parse("99999999999999TiB")).hasMessage("'99999999999999TiB' is too large");
    }
}
