package io.outrider.plugin.sshd;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;

import java.time.DateTimeException;
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
        if (config.year() != null && (config.year() < MIN_YEAR || config.year() > MAX_YEAR)) {
            problems.add(new Problem("year", "must be between " + MIN_YEAR + " and " + MAX_YEAR + ", was " + config.year()));
        }
        if (config.timezone() != null) {
            try {
                ZoneId.of(config.timezone());
            }
            catch (DateTimeException e) {
                problems.add(new Problem("timezone", "'" + config.timezone() + "' is not a time zone id; use a region such as Europe/Paris, or UTC, or an offset such as +02:00"));
            }
        }
        if (config.sessionTableSize() < 0) {
            problems.add(new Problem("session_table_size", "must be 0 (no session table) or more, was " + config.sessionTableSize()));
        }
        if (config.maxFieldLength() < MIN_FIELD_LENGTH) {
            problems.add(new Problem("max_field_length", "must be at least " + MIN_FIELD_LENGTH + ", was " + config.maxFieldLength()));
        }
        if (config.maxMessageLength() < MIN_MESSAGE_LENGTH || config.maxMessageLength() > MAX_MESSAGE_LENGTH) {
            problems.add(new Problem("max_message_length", "must be between " + MIN_MESSAGE_LENGTH + " and " + MAX_MESSAGE_LENGTH + ", was " + config.maxMessageLength()));
        }
        if (config.maxRepeatEvents() < 1 || config.maxRepeatEvents() > MAX_REPEAT_EVENTS) {
            problems.add(new Problem("max_repeat_events", "must be between 1 and " + MAX_REPEAT_EVENTS + ", was " + config.maxRepeatEvents()));
        }
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
