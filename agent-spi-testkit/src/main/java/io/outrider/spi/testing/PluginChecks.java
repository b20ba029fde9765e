package io.outrider.spi.testing;

import io.outrider.config.RecordBinder;
import io.outrider.spi.ComponentFactory;
import io.outrider.spi.Plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a plugin the way the agent's loader will see it: the services file names it, it instantiates through a
 * public no-argument constructor, its factory types are lower-case and unique per kind, and every config class is
 * a record whose constructor accepts every key absent (the agent constructs it so to show the defaults it fills in).
 * Call {@link #assertValidPlugin(Class)} from a test of your plugin.
 */
public final class PluginChecks
{
    private static final String SERVICES_FILE = "META-INF/services/" + Plugin.class.getName();

    private PluginChecks() {}

    /** @throws AssertionError listing every problem found */
    public static void assertValidPlugin(Class<? extends Plugin> pluginClass)
    {
        List<String> problems = new ArrayList<>();
        if (!servicesEntries(pluginClass.getClassLoader()).contains(pluginClass.getName())) {
            problems.add(SERVICES_FILE + " does not name " + pluginClass.getName());
        }
        Plugin plugin;
        try {
            plugin = pluginClass.getConstructor().newInstance();
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            throw new AssertionError(pluginClass.getName() + " cannot be created through a public no-argument constructor: " + e, e);
        }
        checkFactories("input", plugin.inputFactories(), problems);
        checkFactories("parser", plugin.parserFactories(), problems);
        checkFactories("output", plugin.outputFactories(), problems);
        if (plugin.inputFactories().isEmpty() && plugin.parserFactories().isEmpty() && plugin.outputFactories().isEmpty()) {
            problems.add(pluginClass.getName() + " offers no factories");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("plugin " + pluginClass.getName() + " has problems:\n  - " + String.join("\n  - ", problems));
        }
    }

    private static void checkFactories(String kind, List<? extends ComponentFactory<?, ?>> factories, List<String> problems)
    {
        Set<String> seen = new HashSet<>();
        for (ComponentFactory<?, ?> factory : factories) {
            String type = factory.type();
            if (type == null || !type.matches("[a-z][a-z0-9_]*")) {
                problems.add(kind + " type '" + type + "' must be lower case letters, digits and _");
            }
            if (!seen.add(type)) {
                problems.add(kind + " type '" + type + "' is offered twice");
            }
            if (factory.configClass() == null || !factory.configClass().isRecord()) {
                problems.add(kind + " type '" + type + "': config class " + factory.configClass() + " is not a record");
            }
            else {
                // binding an empty mapping gives the constructor every key absent; so does `outrider plugins describe`,
                // which shows the defaults it fills in ("default unknown" for all of them when it throws)
                RecordBinder.absentValuesRefusal(factory.configClass()).ifPresent(refusal -> problems.add(kind + " type '" + type + "': " + refusal
                        + "; the constructor must accept null for every key, a required one too (the binder reports it missing before that matters),"
                        + " so that the agent can show the defaults it fills in"));
            }
        }
    }

    private static Set<String> servicesEntries(ClassLoader loader)
    {
        Set<String> entries = new HashSet<>();
        try {
            Enumeration<URL> resources = loader.getResources(SERVICES_FILE);
            while (resources.hasMoreElements()) {
                try (InputStream in = resources.nextElement().openStream();
                        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        int comment = line.indexOf('#');
                        String entry = (comment >= 0 ? line.substring(0, comment) : line).trim();
                        if (!entry.isEmpty()) {
                            entries.add(entry);
                        }
                    }
                }
            }
        }
        catch (IOException e) {
            throw new AssertionError("cannot read " + SERVICES_FILE + ": " + e, e);
        }
        return entries;
    }
}
