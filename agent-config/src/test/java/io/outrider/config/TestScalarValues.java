package io.outrider.config;

import io.outrider.spi.DataSize;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestScalarValues
{
    public enum Mode
    {
        FAST, VERY_SLOW
    }

    @Test
    void convertsEveryDocumentedScalarType()
    {
        assertThat(ScalarValues.convert(String.class, " kept as written ")).isEqualTo(" kept as written ");
        assertThat(ScalarValues.convert(boolean.class, "Yes")).isEqualTo(true);
        assertThat(ScalarValues.convert(Boolean.class, "off")).isEqualTo(false);
        assertThat(ScalarValues.convert(int.class, " 8_443 ")).isEqualTo(8443);
        assertThat(ScalarValues.convert(Long.class, "-1_000_000_000_000")).isEqualTo(-1_000_000_000_000L);
        assertThat(ScalarValues.convert(double.class, "0.5")).isEqualTo(0.5);
        assertThat(ScalarValues.convert(Duration.class, "1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ScalarValues.convert(DataSize.class, "512KiB")).isEqualTo(DataSize.ofBytes(512 * 1024));
        assertThat(ScalarValues.convert(Path.class, "/var/log/x.log")).isEqualTo(Path.of("/var/log/x.log"));
        assertThat(ScalarValues.convert(URI.class, "https://collector.example/ingest")).isEqualTo(URI.create("https://collector.example/ingest"));
        assertThat(ScalarValues.convert(Mode.class, "very-slow")).isEqualTo(Mode.VERY_SLOW);
    }

    @Test
    void refusesTextThatIsNotTheTypeWithoutRepeatingIt()
    {
        assertThatThrownBy(() -> ScalarValues.convert(boolean.class, "maybe")).isInstanceOf(IllegalArgumentException.class).hasMessage("");
        assertThatThrownBy(() -> ScalarValues.convert(long.class, "12x")).isInstanceOf(IllegalArgumentException.class).hasMessage("");
        assertThatThrownBy(() -> ScalarValues.convert(int.class, "2147483648")).isInstanceOf(IllegalArgumentException.class).hasMessage("more than 2147483647");
        assertThatThrownBy(() -> ScalarValues.convert(Integer.class, "-2147483649")).isInstanceOf(IllegalArgumentException.class).hasMessage("less than -2147483648");
        assertThat(ScalarValues.convert(int.class, "-2147483648")).isEqualTo(Integer.MIN_VALUE);
        assertThatThrownBy(() -> ScalarValues.convert(Mode.class, "medium")).isInstanceOf(IllegalArgumentException.class).hasMessage("");
        assertThatThrownBy(() -> ScalarValues.convert(URI.class, "http://a b")).isInstanceOf(IllegalArgumentException.class).hasMessage("Illegal character in authority");
        assertThatThrownBy(() -> ScalarValues.convert(Object[].class, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported configuration type [Ljava.lang.Object;");
    }

    @Test
    void parsesDurationsInEveryWrittenForm()
    {
        assertThat(ScalarValues.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ScalarValues.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ScalarValues.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(ScalarValues.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ScalarValues.parseDuration("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> ScalarValues.parseDuration("soon")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saysWhatEachTypeExpects()
    {
        assertThat(ScalarValues.expectation(Path.class)).isEqualTo("text");
        assertThat(ScalarValues.expectation(boolean.class)).isEqualTo("true or false");
        assertThat(ScalarValues.expectation(Integer.class)).isEqualTo("a whole number");
        assertThat(ScalarValues.expectation(double.class)).isEqualTo("a number");
        assertThat(ScalarValues.expectation(Duration.class)).isEqualTo("a duration such as 500ms, 30s, 5m, 12h or 7d");
        assertThat(ScalarValues.expectation(DataSize.class)).isEqualTo("a size such as 1048576, 512KiB or 64MiB");
        assertThat(ScalarValues.expectation(Mode.class)).isEqualTo("one of fast, very_slow");
        assertThat(ScalarValues.expectation(Object[].class)).isEqualTo("a value of type Object[]");
    }

    @Test
    void anAbsentComponentIsNullOrThePrimitivesZero()
    {
        assertThat(ScalarValues.absentValue(Integer.class)).isNull();
        assertThat(ScalarValues.absentValue(boolean.class)).isEqualTo(false);
        assertThat(ScalarValues.absentValue(int.class)).isEqualTo(0);
        assertThat(ScalarValues.absentValue(long.class)).isEqualTo(0L);
        assertThat(ScalarValues.absentValue(double.class)).isEqualTo(0.0);
    }
}
