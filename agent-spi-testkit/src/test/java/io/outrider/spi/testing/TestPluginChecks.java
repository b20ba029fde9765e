package io.outrider.spi.testing;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;
import io.outrider.spi.Plugin;
import io.outrider.spi.config.Required;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPluginChecks
{
    /** A configuration record whose constructor refuses a missing required key: binding reports that key first, `describe` cannot. */
    public record StrictConfig(@Required String pattern, Integer limit)
    {
        public StrictConfig
        {
            requireNonNull(pattern, "pattern is null");
            limit = limit == null ? pattern.length() : limit;
        }
    }

    /** Found by the services file of no jar: the check is called with the class. */
    public static final class StrictPlugin
            implements Plugin
    {
        @Override
        public List<ParserFactory<?>> parserFactories()
        {
            return List.of(new ParserFactory<StrictConfig>()
            {
                @Override
                public String type()
                {
                    return "strict";
                }

                @Override
                public Class<StrictConfig> configClass()
                {
                    return StrictConfig.class;
                }

                @Override
                public Parser create(StrictConfig config, ComponentContext context)
                {
                    return ParseResult::matched;
                }
            });
        }
    }

    @Test
    void aConfigurationWhoseConstructorRefusesAbsentKeysIsAProblem()
    {
        assertThatThrownBy(() -> PluginChecks.assertValidPlugin(StrictPlugin.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("parser type 'strict': StrictConfig's constructor threw java.lang.NullPointerException: pattern is null with every key absent;"
                        + " the constructor must accept null for every key, a required one too (the binder reports it missing before that matters),"
                        + " so that the agent can show the defaults it fills in");
    }
}
