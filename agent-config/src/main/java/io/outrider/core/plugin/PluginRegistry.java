package io.outrider.core.plugin;

import io.outrider.config.ThreadContextLoader;
import io.outrider.spi.ComponentFactory;
import io.outrider.spi.InputFactory;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.ParserFactory;
import io.outrider.spi.Plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Every factory of every loaded plugin, by kind and type. A type offered by two plugins is ambiguous: it is
 * recorded as a conflict naming both, and a configuration that uses it is refused. Every factory is registered
 * wrapped in a {@link ClassLoaderSafeFactory}, so whatever calls it (and what it creates) runs plugin code under the
 * plugin's class loader.
 *
 * <p>The registry owns the class loaders of the plugins loaded from jars ({@link PluginClassLoader}s, made by
 * {@link PluginLoader} for one load): whoever loaded it (the agent run, {@code validate}, the desktop's form
 * validation) closes it when done with it or when a reload replaces it. Classes already loaded keep working after
 * {@link #close}; a plugin can load nothing new, and its jars are no longer held open.
 */
public final class PluginRegistry
        implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(PluginRegistry.class.getName());
    /** What {@link io.outrider.spi.ComponentFactory#type()} may be: what an operator writes after {@code type:}. */
    private static final java.util.regex.Pattern TYPE_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_]*");

    private final List<LoadedPlugin> plugins;
    private final List<PluginLoadProblem> loadProblems;
    private final Map<ComponentKind, Map<String, RegisteredFactory>> factories = new EnumMap<>(ComponentKind.class);
    private final Map<ComponentKind, Map<String, List<RegisteredFactory>>> conflicts = new EnumMap<>(ComponentKind.class);

    public PluginRegistry(List<LoadedPlugin> plugins, List<PluginLoadProblem> loadProblems)
    {
        this.plugins = List.copyOf(requireNonNull(plugins, "plugins is null"));
        List<PluginLoadProblem> problems = new ArrayList<>(requireNonNull(loadProblems, "loadProblems is null"));
        for (ComponentKind kind : ComponentKind.values()) {
            factories.put(kind, new TreeMap<>());
            conflicts.put(kind, new TreeMap<>());
        }
        for (LoadedPlugin plugin : this.plugins) {
            ClassLoader loader = plugin.classLoader();
            List<InputFactory<?>> inputs = underLoader(loader, () -> plugin.plugin().inputFactories());
            List<ParserFactory<?>> parsers = underLoader(loader, () -> plugin.plugin().parserFactories());
            List<OutputFactory<?>> outputs = underLoader(loader, () -> plugin.plugin().outputFactories());
            register(ComponentKind.INPUT, plugin, inputs.stream().map(factory -> safeInput(factory, loader)).toList(), problems);
            register(ComponentKind.PARSER, plugin, parsers.stream().map(factory -> safeParser(factory, loader)).toList(), problems);
            register(ComponentKind.OUTPUT, plugin, outputs.stream().map(factory -> safeOutput(factory, loader)).toList(), problems);
        }
        this.loadProblems = List.copyOf(problems);
    }

    private static <C extends Record> InputFactory<C> safeInput(InputFactory<C> factory, ClassLoader loader)
    {
        return factory instanceof ClassLoaderSafeInputFactory ? factory : new ClassLoaderSafeInputFactory<>(factory, loader);
    }

    private static <C extends Record> ParserFactory<C> safeParser(ParserFactory<C> factory, ClassLoader loader)
    {
        return factory instanceof ClassLoaderSafeParserFactory ? factory : new ClassLoaderSafeParserFactory<>(factory, loader);
    }

    private static <C extends Record> OutputFactory<C> safeOutput(OutputFactory<C> factory, ClassLoader loader)
    {
        return factory instanceof ClassLoaderSafeOutputFactory ? factory : new ClassLoaderSafeOutputFactory<>(factory, loader);
    }

    private static <T> T underLoader(ClassLoader loader, Supplier<T> call)
    {
        ClassLoader previous = ThreadContextLoader.enter(loader);
        try {
            return call.get();
        }
        finally {
            ThreadContextLoader.exit(previous, loader);
        }
    }

    private void register(ComponentKind kind, LoadedPlugin plugin, List<? extends ComponentFactory<?, ?>> offered, List<PluginLoadProblem> problems)
    {
        for (ComponentFactory<?, ?> factory : offered) {
            String type = factory.type();
            if (type == null || !TYPE_NAME.matcher(type).matches()) {
                // a type an operator could not write, or that would pass only as typed here: the factory is left out
                PluginLoadProblem problem = new PluginLoadProblem(plugin.location().orElse(Path.of(plugin.name())), "offers " + kind.label() + " type "
                        + (type == null ? "null" : "'" + type + "'") + ", not a type name (lower-case letters, digits and _, starting with a letter);"
                        + " that " + kind.label() + " is skipped until the plugin names it so");
                problems.add(problem);
                LOG.log(System.Logger.Level.WARNING, "plugin component skipped: " + problem);
                continue;
            }
            RegisteredFactory registered = new RegisteredFactory(kind, type, factory, plugin);
            RegisteredFactory existing = factories.get(kind).putIfAbsent(type, registered);
            if (existing != null) {
                List<RegisteredFactory> both = conflicts.get(kind).computeIfAbsent(type, ignored -> new ArrayList<>(List.of(existing)));
                both.add(registered);
            }
        }
    }

    public Optional<RegisteredFactory> find(ComponentKind kind, String type)
    {
        return Optional.ofNullable(factories.get(kind).get(type));
    }

    /** The plugins offering {@code type} when more than one does; empty otherwise. */
    public List<RegisteredFactory> conflicting(ComponentKind kind, String type)
    {
        return conflicts.get(kind).getOrDefault(type, List.of());
    }

    /** Sentences describing every ambiguous type, e.g. for {@code outrider plugins}. */
    public List<String> conflictMessages()
    {
        List<String> messages = new ArrayList<>();
        conflicts.forEach((kind, byType) -> byType.forEach((type, offered) -> messages.add(conflictMessage(kind, type, offered))));
        return messages;
    }

    public static String conflictMessage(ComponentKind kind, String type, List<RegisteredFactory> offered)
    {
        List<String> names = new ArrayList<>();
        for (RegisteredFactory factory : offered) {
            names.add(factory.plugin().name() + factory.plugin().location().map(path -> " (" + path + ")").orElse(""));
        }
        // the agent's own types (no plugin folder) cannot be removed: the other plugins must give way
        boolean agentsOwn = offered.stream().anyMatch(factory -> factory.plugin().location().isEmpty());
        return kind.label() + " type '" + type + "' is offered by more than one plugin: " + String.join(" and ", names)
                + (agentsOwn ? "; it is the agent's own type: remove the other plugin or give its type another name" : "; remove all but one");
    }

    public List<String> types(ComponentKind kind)
    {
        return List.copyOf(factories.get(kind).keySet());
    }

    public List<LoadedPlugin> plugins()
    {
        return plugins;
    }

    public List<PluginLoadProblem> loadProblems()
    {
        return loadProblems;
    }

    /** Closes the class loaders of the plugins loaded from jars; plugins built into the agent are left alone. Idempotent. */
    @Override
    public void close()
    {
        for (LoadedPlugin plugin : plugins) {
            if (plugin.classLoader() instanceof PluginClassLoader loader) {
                try {
                    loader.close();
                }
                catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "plugin " + plugin.name() + ": closing its class loader failed: " + e);
                }
            }
        }
    }

    /** Types a plugin offers, by kind, for listings; asked under the loader that defined the plugin's class. */
    public static Map<ComponentKind, List<String>> typesOf(Plugin plugin)
    {
        ClassLoader loader = plugin.getClass().getClassLoader();
        return underLoader(loader == null ? ClassLoader.getPlatformClassLoader() : loader, () -> {
            Map<ComponentKind, List<String>> types = new EnumMap<>(ComponentKind.class);
            types.put(ComponentKind.INPUT, plugin.inputFactories().stream().map(ComponentFactory::type).sorted().toList());
            types.put(ComponentKind.PARSER, plugin.parserFactories().stream().map(ComponentFactory::type).sorted().toList());
            types.put(ComponentKind.OUTPUT, plugin.outputFactories().stream().map(ComponentFactory::type).sorted().toList());
            return Collections.unmodifiableMap(types);
        });
    }
}
