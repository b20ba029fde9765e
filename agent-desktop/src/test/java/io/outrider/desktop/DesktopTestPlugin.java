package io.outrider.desktop;

import io.outrider.core.config.SecretRegistry;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;
import io.outrider.spi.config.Required;
import io.outrider.spi.config.Sensitive;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stand-ins for the file, fim and http plugins with the same configuration keys and checks that matter to the window,
 * so validation tests do not depend on which plugin modules are built, and for the core's built-in console output,
 * which the desktop finds beside the agent at run time only ({@link AgentBuiltInPlugins}: this module does not depend
 * on the core). They only validate; starting them is refused.
 */
final class DesktopTestPlugin
        implements Plugin
{
    record PathsConfig(@Required List<String> paths, List<String> exclude)
    {
    }

    enum Format
    {
        LITESOC, LOGNOG, NDJSON, JSON
    }

    record HttpConfig(@Required Format format, @Required URI endpoint, @Sensitive String apiKey)
    {
    }

    enum ConsoleFormat
    {
        JSON, TEXT
    }

    /** The core's {@code console} output's keys: {@code format}, json (the default) or text. */
    record ConsoleConfig(ConsoleFormat format)
    {
    }

    /** A validator with these plugins and an empty plugins directory, as {@code outrider validate} would run it. */
    static ConfigValidator validator(java.nio.file.Path pluginsDir)
    {
        return validator(pluginsDir, Map.of());
    }

    /** The same, with these variables for {@code ${VAR}} in the configuration. */
    static ConfigValidator validator(java.nio.file.Path pluginsDir, Map<String, String> variables)
    {
        Map<String, String> environment = new java.util.HashMap<>(variables);
        environment.put("OUTRIDER_HOME", pluginsDir.getParent().toString());
        return new AgentConfigValidator(environment, new SecretRegistry(), List.of(loaded()));
    }

    /** These plugins, as the loader would present them. */
    static LoadedPlugin loaded()
    {
        return new LoadedPlugin("desktop-test", Optional.empty(), "test", SpiVersion.CURRENT, new DesktopTestPlugin(), DesktopTestPlugin.class.getClassLoader());
    }

    @Override
    public List<InputFactory<?>> inputFactories()
    {
        return List.of(new PathsInput("file"), new PathsInput("fim"));
    }

    @Override
    public List<OutputFactory<?>> outputFactories()
    {
        return List.of(new HttpOutput(), new ConsoleOutput());
    }

    private record PathsInput(String type)
            implements InputFactory<PathsConfig>
    {
        @Override
        public Class<PathsConfig> configClass()
        {
            return PathsConfig.class;
        }

        @Override
        public void validate(PathsConfig config)
                throws InvalidConfigException
        {
            if (config.paths().isEmpty()) {
                throw new InvalidConfigException("paths", "needs at least one path");
            }
            for (String path : config.paths()) {
                if (!path.startsWith("/")) {
                    throw new InvalidConfigException("paths", "'" + path + "' is not an absolute path");
                }
            }
        }

        @Override
        public Input create(PathsConfig config, ComponentContext context)
                throws InvalidConfigException
        {
            throw new InvalidConfigException("type", "the desktop tests' " + type + " input only validates");
        }
    }

    private static final class ConsoleOutput
            implements OutputFactory<ConsoleConfig>
    {
        @Override
        public String type()
        {
            return "console";
        }

        @Override
        public Class<ConsoleConfig> configClass()
        {
            return ConsoleConfig.class;
        }

        @Override
        public Output create(ConsoleConfig config, ComponentContext context)
                throws InvalidConfigException
        {
            throw new InvalidConfigException("type", "the desktop tests' console output only validates");
        }
    }

    private static final class HttpOutput
            implements OutputFactory<HttpConfig>
    {
        @Override
        public String type()
        {
            return "http";
        }

        @Override
        public Class<HttpConfig> configClass()
        {
            return HttpConfig.class;
        }

        @Override
        public void validate(HttpConfig config)
                throws InvalidConfigException
        {
            String scheme = config.endpoint().getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw new InvalidConfigException("endpoint", "must be an http:// or https:// URL");
            }
        }

        @Override
        public Output create(HttpConfig config, ComponentContext context)
                throws InvalidConfigException
        {
            throw new InvalidConfigException("type", "the desktop tests' http output only validates");
        }
    }
}
