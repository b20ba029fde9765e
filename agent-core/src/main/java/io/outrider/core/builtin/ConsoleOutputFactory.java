package io.outrider.core.builtin;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.config.Description;

/** The {@code console} output: events on standard output, so the agent shows something with no collector. */
public final class ConsoleOutputFactory
        implements OutputFactory<ConsoleOutputFactory.Config>
{
    /** How each event is printed. */
    public enum Format
    {
        /** one JSON object per line: {@code @timestamp}, {@code message}, then the fields */
        JSON,
        /** one readable line: time, action, fields, message */
        TEXT
    }

    /** @param format {@code json} (default) or {@code text} */
    public record Config(@Description("json or text") Format format)
    {
        public Config
        {
            format = format == null ? Format.JSON : format;
        }
    }

    @Override
    public String type()
    {
        return "console";
    }

    @Override
    public Class<Config> configClass()
    {
        return Config.class;
    }

    @Override
    public String description()
    {
        return "prints events to standard output (json lines or readable text)";
    }

    @Override
    public Output create(Config config, ComponentContext context)
    {
        return new ConsoleOutput(config, System.out);
    }
}
