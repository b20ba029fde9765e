package io.outrider.plugin.sshd;

import io.outrider.spi.testing.ParserHarness;
import io.outrider.spi.testing.TestingMetrics;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** An {@link SshdParser} in the test kit's {@link ParserHarness}, reading its lines at {@link #READ_AT}. */
final class SshdHarness
{
    /** When the tests "read" their lines: classic timestamps resolve to the year before or this one. */
    static final Instant READ_AT = Instant.parse("2026-11-23T10:00:00Z");

    /** The defaults, in UTC. */
    static final SshdParserConfig UTC_DEFAULTS = new SshdParserConfig(null, "UTC", null, null, null, null, null, null);

    private SshdHarness() {}

    static ParserHarness create()
    {
        return create(UTC_DEFAULTS);
    }

    static ParserHarness create(SshdParserConfig config)
    {
        return create(config, new TestingMetrics());
    }

    /** @param metrics where the parser's session gauge and eviction counter go, for the test to read */
    static ParserHarness create(SshdParserConfig config, TestingMetrics metrics)
    {
        ZoneId zone = config.timezone() == null ? ZoneOffset.UTC : ZoneId.of(config.timezone());
        return new ParserHarness(new SshdParser(config, zone, metrics), READ_AT);
    }
}
