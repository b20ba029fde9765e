package io.outrider.plugin.sshd;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;
import io.outrider.support.config.Checks;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Creates {@link SshdParser}s: {@code type: sshd}. */
public final class SshdParserFactory
        implements ParserFactory<SshdParserConfig>
{
    static final int MIN_YEAR = 1970;
    static final int MAX_YEAR = 9999;
    static final int MIN_FIELD_LENGTH = 16;
    static final int MIN_MESSAGE_LENGTH = 256;
    static final int MAX_MESSAGE_LENGTH = 1 << 20;
    static final int MAX_REPEAT_EVENTS = 100_000;

    @Override
    public String type()
    {
        return "sshd";
    }

    @Override
    public Class<SshdParserConfig> configClass()
    {
        return SshdParserConfig.class;
    }

    @Override
    public String description()
    {
        return "OpenSSH authentication events (logins, failures, logouts, scans) from syslog lines or journald";
    }

    @Override
    public void validate(SshdParserConfig config)
            throws InvalidConfigException
    {
        List<Problem> problems = new ArrayList<>();
        if (config.year() != null) {
            Checks.between(problems, "year", config.year(), MIN_YEAR, MAX_YEAR);
        }
        Checks.timeZone(problems, "timezone", config.timezone());
        if (config.sessionTableSize() < 0) {
            problems.add(new Problem("session_table_size", "must be 0 (no session table) or more, not " + config.sessionTableSize()));
        }
        Checks.atLeast(problems, "max_field_length", config.maxFieldLength(), MIN_FIELD_LENGTH);
        Checks.between(problems, "max_message_length", config.maxMessageLength(), MIN_MESSAGE_LENGTH, MAX_MESSAGE_LENGTH);
        Checks.between(problems, "max_repeat_events", config.maxRepeatEvents(), 1, MAX_REPEAT_EVENTS);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    @Override
    public Parser create(SshdParserConfig config, ComponentContext context)
            throws InvalidConfigException
    {
        validate(config);
        ZoneId zone = config.timezone() == null ? ZoneId.systemDefault() : ZoneId.of(config.timezone());
        return new SshdParser(config, zone, context.metrics());
    }
}
