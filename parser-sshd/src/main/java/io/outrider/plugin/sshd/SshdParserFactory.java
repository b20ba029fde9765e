package io.outrider.plugin.sshd;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;
import io.outrider.support.syslog.SyslogParserLimits;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Creates {@link SshdParser}s: {@code type: sshd}. */
public final class SshdParserFactory
        implements ParserFactory<SshdParserConfig>
{
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
        SyslogParserLimits.checkTimestampOptions(problems, config.year(), config.timezone());
        if (config.sessionTableSize() < 0) {
            problems.add(new Problem("session_table_size", "must be 0 (no session table) or more, not " + config.sessionTableSize()));
        }
        SyslogParserLimits.checkLengthOptions(problems, config.maxFieldLength(), config.maxMessageLength(), config.maxRepeatEvents());
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
