package io.outrider.plugin.linuxauth;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;
import io.outrider.support.syslog.SyslogParserLimits;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates {@link LinuxAuthParser}s: {@code type: linux_auth} (component types are lower case letters, digits and
 * {@code _}; the plugin itself is {@code parser-linux-auth}).
 */
public final class LinuxAuthParserFactory
        implements ParserFactory<LinuxAuthParserConfig>
{
    @Override
    public String type()
    {
        return "linux_auth";
    }

    @Override
    public Class<LinuxAuthParserConfig> configClass()
    {
        return LinuxAuthParserConfig.class;
    }

    @Override
    public String description()
    {
        return "sudo, su, PAM, account and group changes, lockouts as security events, from syslog lines or journald";
    }

    @Override
    public void validate(LinuxAuthParserConfig config)
            throws InvalidConfigException
    {
        List<Problem> problems = new ArrayList<>();
        SyslogParserLimits.checkTimestampOptions(problems, config.year(), config.timezone());
        SyslogParserLimits.checkLengthOptions(problems, config.maxFieldLength(), config.maxMessageLength(), config.maxRepeatEvents());
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    @Override
    public Parser create(LinuxAuthParserConfig config, ComponentContext context)
            throws InvalidConfigException
    {
        validate(config);
        ZoneId zone = config.timezone() == null ? ZoneId.systemDefault() : ZoneId.of(config.timezone());
        return new LinuxAuthParser(config, zone);
    }
}
