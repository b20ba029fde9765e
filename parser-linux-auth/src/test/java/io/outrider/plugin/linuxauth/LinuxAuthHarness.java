package io.outrider.plugin.linuxauth;

import io.outrider.spi.testing.ParserHarness;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A {@link LinuxAuthParser} in the test kit's {@link ParserHarness}, reading its lines at {@link #READ_AT}. */
final class LinuxAuthHarness
{
    /** When the tests "read" their lines: classic timestamps resolve to this year. */
    static final Instant READ_AT = Instant.parse("2026-12-05T16:00:00Z");

    private LinuxAuthHarness() {}

    /** The defaults, in UTC. */
    static ParserHarness create()
    {
        return create(new LinuxAuthParserConfig(null, "UTC", null, null, null, null));
    }

    static ParserHarness create(LinuxAuthParserConfig config)
    {
        ZoneId zone = config.timezone() == null ? ZoneOffset.UTC : ZoneId.of(config.timezone());
        return new ParserHarness(new LinuxAuthParser(config, zone), READ_AT);
    }
}
