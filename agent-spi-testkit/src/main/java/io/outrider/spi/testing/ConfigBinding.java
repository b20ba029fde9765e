package io.outrider.spi.testing;

import io.outrider.config.ComponentBinder;
import io.outrider.config.ConfigProblems;
import io.outrider.config.ConfigYaml;
import io.outrider.config.InvalidConfigurationException;
import io.outrider.config.RecordBinder;
import io.outrider.config.Secrets;
import io.outrider.config.Substitution;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentFactory;
import io.outrider.spi.InputFactory;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.ParserFactory;
import org.yaml.snakeyaml.nodes.Node;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Binds a YAML snippet to a component's configuration record with the agent's own binder (agent-config), so that a
 * plugin's test pins "this YAML gives this record" and the exact errors {@code outrider validate} prints:
 * <pre>{@code
 * HttpOutputConfig config = ConfigBinding.forFactory(new HttpOutputFactory(), "output-http").bind("""
 *         endpoint: https://collector.example/ingest
 *         timeout: 5s
 *         """);
 * }</pre>
 * The snippet is the component's mapping (what goes under its id in a pipeline; a {@code type:} key is allowed and
 * ignored). Problems read as the agent's, numbered, with {@code config.yaml:line:column}, except that paths are relative
 * to the snippet ({@code endpoint}, not {@code pipelines.p.outputs.http.endpoint}).
 *
 * <p>{@code ${VAR}} resolves from {@link #withEnvironment} only (never the test's own environment, so a test cannot
 * pass by accident on one machine), {@code ${file:PATH}} against {@link #withBaseDirectory} (the current directory by
 * default). Values of {@code @Sensitive} properties are masked in messages as the exact text; the agent also masks
 * their encoded forms. Immutable.
 */
public final class ConfigBinding<C extends Record>
{
    /** How problems name the snippet. */
    public static final String FILE = "config.yaml";

    private final ComponentFactory<C, ?> factory;
    private final String subject;
    private final Map<String, String> environment;
    private final Path baseDirectory;

    private ConfigBinding(ComponentFactory<C, ?> factory, String subject, Map<String, String> environment, Path baseDirectory)
    {
        this.factory = requireNonNull(factory, "factory is null");
        this.subject = requireNonNull(subject, "subject is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.baseDirectory = requireNonNull(baseDirectory, "baseDirectory is null");
    }

    /**
     * Binds as the agent binds a component of {@code factory}: its record, its sensitive properties, then its
     * {@code validate}.
     *
     * @param pluginName the plugin's folder under {@code plugins/} (its artifact id), as messages name it
     */
    public static <C extends Record> ConfigBinding<C> forFactory(ComponentFactory<C, ?> factory, String pluginName)
    {
        requireNonNull(factory, "factory is null");
        requireNonNull(pluginName, "pluginName is null");
        return new ConfigBinding<>(factory, kind(factory) + " type '" + factory.type() + "' (plugin " + pluginName + ")", Map.of(), Path.of("").toAbsolutePath());
    }

    /** Binds a record on its own: no factory, so no {@code validate}; messages name the record's class. */
    public static <C extends Record> ConfigBinding<C> forRecord(Class<C> recordClass)
    {
        requireNonNull(recordClass, "recordClass is null");
        return new ConfigBinding<>(new RecordOnly<>(recordClass), "record " + recordClass.getSimpleName(), Map.of(), Path.of("").toAbsolutePath());
    }

    /** {@code forRecord(recordClass).bind(yaml)}. */
    public static <C extends Record> C bind(Class<C> recordClass, String yaml)
            throws InvalidConfigurationException
    {
        return forRecord(recordClass).bind(yaml);
    }

    /** The variables {@code ${VAR}} resolves from, instead of none. */
    public ConfigBinding<C> withEnvironment(Map<String, String> environment)
    {
        return new ConfigBinding<>(factory, subject, environment, baseDirectory);
    }

    /** Where relative {@code ${file:PATH}} paths resolve (the configuration file's folder in the agent). */
    public ConfigBinding<C> withBaseDirectory(Path baseDirectory)
    {
        return new ConfigBinding<>(factory, subject, environment, baseDirectory.toAbsolutePath());
    }

    /**
     * @return the bound and validated record (an empty snippet binds as no properties at all)
     * @throws InvalidConfigurationException with every problem, numbered as {@code outrider validate} prints them
     */
    public C bind(String yaml)
            throws InvalidConfigurationException
    {
        requireNonNull(yaml, "yaml is null");
        ConfigProblems problems = new ConfigProblems();
        ExactSecrets secrets = new ExactSecrets();
        RecordBinder binder = new RecordBinder(FILE, problems, new Substitution(environment, baseDirectory), secrets);
        Optional<Node> node = ConfigYaml.compose(FILE, yaml, problems);
        Record config = null;
        if (problems.isEmpty()) {
            // an empty snippet has no node: its problems are located at the file, as the agent does for a missing section
            Node mapping = node.orElse(null);
            config = new ComponentBinder(binder).bind(factory, mapping, "", mapping, subject, Set.of("type"));
        }
        problems.throwIfAny(secrets);
        return factory.configClass().cast(requireNonNull(config, "no problem was reported but nothing was bound"));
    }

    private static String kind(ComponentFactory<?, ?> factory)
    {
        if (factory instanceof InputFactory) {
            return "input";
        }
        if (factory instanceof ParserFactory) {
            return "parser";
        }
        if (factory instanceof OutputFactory) {
            return "output";
        }
        throw new IllegalArgumentException(factory.getClass().getName() + " is not an input, parser or output factory");
    }

    /** A factory for {@link #forRecord}: the record's {@code @Sensitive} properties, no validation, nothing to create. */
    private record RecordOnly<C extends Record>(Class<C> configClass)
            implements ComponentFactory<C, Void>
    {
        @Override
        public String type()
        {
            return configClass.getSimpleName();
        }

        @Override
        public Void create(C config, ComponentContext context)
        {
            throw new UnsupportedOperationException("a record bound on its own creates no component");
        }
    }

    /** Masks the exact values the binder learnt as secrets; enough for a test, which sees no encoded forms. */
    private static final class ExactSecrets
            implements Secrets
    {
        private final Set<String> values = new HashSet<>();

        @Override
        public void register(String value)
        {
            // as the agent: shorter values would mask ordinary words
            if (value != null && value.length() >= 4) {
                values.add(value);
            }
        }

        @Override
        public String redact(String text)
        {
            if (text == null) {
                return null;
            }
            String result = text;
            for (String value : values.stream().sorted((a, b) -> Integer.compare(b.length(), a.length())).toList()) {
                result = result.replace(value, "******");
            }
            return result;
        }
    }
}
