package io.outrider.core.plugin;

import io.outrider.core.builtin.CorePlugin;
import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPluginRegistry
{
    @Test
    void closingTheRegistryClosesTheClassLoadersOfThePluginsLoadedFromJars(@TempDir Path dir)
            throws Exception
    {
        Map<String, String> sources = new HashMap<>(PluginJars.counterPluginSources("counter", "counter"));
        sources.put("example.counter.NeverUsed", "package example.counter; public final class NeverUsed {}");
        PluginJars.build(dir.resolve("plugins").resolve("counter.jar"), sources, "example.counter.CounterPlugin", SpiVersion.CURRENT);
        PluginLoader.Result result = new PluginLoader(Plugin.class.getClassLoader()).load(dir.resolve("plugins"));
        PluginRegistry registry = new PluginRegistry(List.of(CorePlugin.loaded(), result.plugins().get(0)), result.problems());
        ClassLoader loader = result.plugins().get(0).classLoader();
        assertThat(loader.getResource("example/counter/NeverUsed.class")).isNotNull();

        registry.close();
        registry.close();

        assertThatThrownBy(() -> loader.loadClass("example.counter.NeverUsed")).isInstanceOf(ClassNotFoundException.class);
        // the built-in plugin's loader is the agent's own, never closed; what was loaded keeps answering
        assertThat(registry.find(ComponentKind.OUTPUT, "console")).isPresent();
        assertThat(registry.find(ComponentKind.INPUT, "counter").orElseThrow().factory().type()).isEqualTo("counter");
    }

    @Test
    void registeredFactoriesAreClassLoaderSafe(@TempDir Path dir)
            throws Exception
    {
        PluginJars.build(dir.resolve("plugins").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin", SpiVersion.CURRENT);
        PluginLoader.Result result = new PluginLoader(Plugin.class.getClassLoader()).load(dir.resolve("plugins"));
        try (PluginRegistry registry = new PluginRegistry(result.plugins(), result.problems())) {
            ClassLoaderSafeFactory<?, ?> input = (ClassLoaderSafeFactory<?, ?>) registry.find(ComponentKind.INPUT, "counter").orElseThrow().factory();
            ClassLoaderSafeFactory<?, ?> parser = (ClassLoaderSafeFactory<?, ?>) registry.find(ComponentKind.PARSER, "tag").orElseThrow().factory();

            assertThat(input.classLoader()).isSameAs(result.plugins().get(0).classLoader());
            assertThat(input.delegate().getClass().getClassLoader()).isSameAs(result.plugins().get(0).classLoader());
            assertThat(parser.classLoader()).isSameAs(result.plugins().get(0).classLoader());
        }
    }

    /** The SPI asks for lower-case types (PluginChecks enforces it); a plugin built without the checks is told so here. */
    @Test
    void aTypeNoOperatorCouldWriteIsSkippedWithTheReasonAndTheRestOfThePluginLoads(@TempDir Path dir)
            throws Exception
    {
        Path jar = PluginJars.build(dir.resolve("plugins").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "Counter-Input"),
                "example.counter.CounterPlugin", SpiVersion.CURRENT);
        PluginLoader.Result result = new PluginLoader(Plugin.class.getClassLoader()).load(dir.resolve("plugins"));
        try (PluginRegistry registry = new PluginRegistry(result.plugins(), result.problems())) {
            assertThat(registry.types(ComponentKind.INPUT)).isEmpty();
            assertThat(registry.find(ComponentKind.PARSER, "tag")).isPresent();
            assertThat(registry.loadProblems()).extracting(Object::toString).containsExactly(jar + ": offers input type 'Counter-Input', not a type name"
                    + " (lower-case letters, digits and _, starting with a letter); that input is skipped until the plugin names it so");
        }
    }
}
