package io.outrider.core.plugin;

import io.outrider.spi.Event;
import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TestPluginLoader
{
    private final PluginLoader loader = new PluginLoader(Plugin.class.getClassLoader());

    @Test
    void discoversAPluginFolderBuiltAgainstTheSpiOnly(@TempDir Path dir)
            throws Exception
    {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins.resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"),
                "example.counter.CounterPlugin", SpiVersion.CURRENT);

        PluginLoader.Result result = loader.load(plugins);

        assertThat(result.problems()).isEmpty();
        assertThat(result.plugins()).singleElement().satisfies(plugin -> {
            assertThat(plugin.name()).isEqualTo("counter");
            assertThat(plugin.version()).isEqualTo("9.9.9");
            assertThat(plugin.spiVersion()).isEqualTo(SpiVersion.CURRENT);
            assertThat(plugin.location()).contains(plugins.resolve("counter"));
            assertThat(PluginRegistry.typesOf(plugin.plugin())).containsEntry(ComponentKind.INPUT, List.of("counter")).containsEntry(ComponentKind.PARSER, List.of("tag"));
        });
    }

    @Test
    void pluginSeesTheSpiButNotGuiceJacksonOrCore(@TempDir Path dir)
            throws Exception
    {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins.resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin", SpiVersion.CURRENT);
        ClassLoader pluginLoader = loader.load(plugins).plugins().get(0).classLoader();

        // SPI types are the very same classes on both sides
        assertThat(pluginLoader.loadClass(Event.class.getName())).isSameAs(Event.class);
        assertThat(pluginLoader.loadClass("java.util.List")).isSameAs(List.class);
        assertThat(pluginLoader.loadClass("example.counter.CounterPlugin").getClassLoader()).isSameAs(pluginLoader);
        for (String hidden : List.of("com.google.inject.Injector", "com.fasterxml.jackson.databind.ObjectMapper", "org.sqlite.JDBC",
                PluginLoader.class.getName(), "io.outrider.core.pipeline.Agent", "picocli.CommandLine")) {
            assertThatThrownBy(() -> pluginLoader.loadClass(hidden)).as(hidden).isInstanceOf(ClassNotFoundException.class);
        }
        assertThat(pluginLoader.getResource("com/google/inject/Injector.class")).isNull();
    }

    @Test
    void aPluginThatAsksForTheAgentsSqliteSharesItsClassesAndNothingElse(@TempDir Path dir)
            throws Exception
    {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins.resolve("fim").resolve("fim.jar"), PluginJars.counterPluginSources("fim", "fim"), "example.fim.CounterPlugin", SpiVersion.CURRENT,
                Map.of("Outrider-Agent-Libraries", "sqlite-jdbc/" + agentSqliteVersion()));

        PluginLoader.Result result = loader.load(plugins);

        assertThat(result.problems()).isEmpty();
        ClassLoader pluginLoader = result.plugins().get(0).classLoader();
        // the agent's classes, and so the agent's one native library: no second copy in /tmp, no "already loaded in
        // another classloader"
        assertThat(pluginLoader.loadClass("org.sqlite.JDBC")).isSameAs(org.sqlite.JDBC.class);
        assertThat(pluginLoader.loadClass("org.sqlite.core.NativeDB")).isSameAs(org.sqlite.core.NativeDB.class);
        for (String hidden : List.of("com.google.inject.Injector", "com.fasterxml.jackson.databind.ObjectMapper", PluginLoader.class.getName())) {
            assertThatThrownBy(() -> pluginLoader.loadClass(hidden)).as(hidden).isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void theAgentPreparesALibraryForThePluginsThatAskForItOnly(@TempDir Path dir)
            throws Exception
    {
        // the core loads sqlite-jdbc's native library from lib/native/ here (Bootstrap); agent-config has no SQLite
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins.resolve("fim").resolve("fim.jar"), PluginJars.counterPluginSources("fim", "fim"), "example.fim.CounterPlugin", SpiVersion.CURRENT,
                Map.of("Outrider-Agent-Libraries", "sqlite-jdbc/" + agentSqliteVersion()));
        PluginJars.build(plugins.resolve("plain").resolve("plain.jar"), PluginJars.counterPluginSources("plain", "plain"), "example.plain.CounterPlugin", SpiVersion.CURRENT);
        java.util.concurrent.atomic.AtomicInteger prepared = new java.util.concurrent.atomic.AtomicInteger();

        PluginLoader.Result result = new PluginLoader(Plugin.class.getClassLoader(), Map.of(PluginLoader.SQLITE_JDBC_LIBRARY, prepared::incrementAndGet)).load(plugins);

        assertThat(result.problems()).isEmpty();
        assertThat(result.plugins()).extracting(LoadedPlugin::name).containsExactlyInAnyOrder("fim", "plain");
        assertThat(prepared).hasValue(1);
    }

    @Test
    void aPluginAskingForAnAgentLibraryTheAgentCannotGiveIsSkippedWithTheReason(@TempDir Path dir)
            throws Exception
    {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        String agentVersion = agentSqliteVersion();
        String[] parts = agentVersion.split("\\.");
        String newer = parts[0] + "." + (Integer.parseInt(parts[1]) + 1) + ".0.0";
        String nextMajor = (Integer.parseInt(parts[0]) + 1) + ".0.0.0";
        Path tooNew = PluginJars.build(plugins.resolve("a").resolve("a.jar"), PluginJars.counterPluginSources("a", "a"), "example.a.CounterPlugin", SpiVersion.CURRENT,
                Map.of("Outrider-Agent-Libraries", "sqlite-jdbc/" + newer));
        Path otherMajor = PluginJars.build(plugins.resolve("b").resolve("b.jar"), PluginJars.counterPluginSources("b", "b"), "example.b.CounterPlugin", SpiVersion.CURRENT,
                Map.of("Outrider-Agent-Libraries", "sqlite-jdbc/" + nextMajor));
        Path unknown = PluginJars.build(plugins.resolve("c").resolve("c.jar"), PluginJars.counterPluginSources("c", "c"), "example.c.CounterPlugin", SpiVersion.CURRENT,
                Map.of("Outrider-Agent-Libraries", "guava/31.0"));
        Path malformed = PluginJars.build(plugins.resolve("d").resolve("d.jar"), PluginJars.counterPluginSources("d", "d"), "example.d.CounterPlugin", SpiVersion.CURRENT,
                Map.of("Outrider-Agent-Libraries", "sqlite-jdbc"));
        PluginJars.build(plugins.resolve("e").resolve("e.jar"), PluginJars.counterPluginSources("e", "e"), "example.e.CounterPlugin", SpiVersion.CURRENT,
                Map.of("Outrider-Agent-Libraries", "sqlite-jdbc/" + parts[0] + "." + parts[1]));

        PluginLoader.Result result = loader.load(plugins);

        assertThat(result.plugins()).extracting(LoadedPlugin::name).containsExactly("e");
        assertThat(result.problems()).extracting(Object::toString).containsExactly(
                tooNew + ": needs sqlite-jdbc " + newer + " or a later " + parts[0] + ".x from the agent, which has " + agentVersion
                        + "; install an agent with a matching sqlite-jdbc, or put the library into the plugin's folder instead",
                otherMajor + ": needs sqlite-jdbc " + nextMajor + " or a later " + (Integer.parseInt(parts[0]) + 1) + ".x from the agent, which has " + agentVersion
                        + "; install an agent with a matching sqlite-jdbc, or put the library into the plugin's folder instead",
                unknown + ": asks for the agent library 'guava', which this agent does not share (it shares: sqlite-jdbc); put the library into the plugin's folder instead",
                malformed + ": has 'sqlite-jdbc' in Outrider-Agent-Libraries; expected NAME/VERSION such as sqlite-jdbc/3.47.1.0");
    }

    private static String agentSqliteVersion()
            throws IOException
    {
        java.util.Properties properties = new java.util.Properties();
        try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream("/META-INF/maven/org.xerial/sqlite-jdbc/pom.properties")) {
            properties.load(in);
        }
        return properties.getProperty("version");
    }

    @Test
    void aPluginsLibraryJarsAreOpenedOnlyWhenThePluginUsesThem(@TempDir Path dir)
            throws Exception
    {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd (Linux)");
        Path folder = Files.createDirectories(dir.resolve("plugins").resolve("counter"));
        // sorts before the plugin's own jar, as kafka-clients-*.jar does before output-kafka-*.jar
        Path library = folder.resolve("a-library.jar");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(library))) {
            jar.putNextEntry(new JarEntry("library/data.txt"));
            jar.write("library data".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        PluginJars.build(folder.resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin", SpiVersion.CURRENT);

        PluginLoader.Result result = loader.load(dir.resolve("plugins"));

        assertThat(result.problems()).isEmpty();
        assertThat(result.plugins()).singleElement().satisfies(plugin -> assertThat(plugin.name()).isEqualTo("counter"));
        assertThat(openFiles()).doesNotContain(library.toRealPath());
        ClassLoader pluginLoader = result.plugins().get(0).classLoader();
        try (InputStream data = pluginLoader.getResourceAsStream("library/data.txt")) {
            assertThat(data).isNotNull();
            assertThat(new String(data.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("library data");
        }
    }

    private static List<Path> openFiles()
            throws IOException
    {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    files.add(Files.readSymbolicLink(descriptor));
                }
                catch (IOException e) {
                    // closed between listing and reading
                }
            }
        }
        return files;
    }

    @Test
    void corruptJarAndSpiMajorMismatchAreReportedInOneLineWhileTheOthersLoad(@TempDir Path dir)
            throws Exception
    {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins.resolve("good").resolve("good.jar"), PluginJars.counterPluginSources("good", "good"), "example.good.CounterPlugin", SpiVersion.CURRENT);
        Path future = PluginJars.build(plugins.resolve("future.jar"), PluginJars.counterPluginSources("future", "future"), "example.future.CounterPlugin", (SpiVersion.MAJOR + 1) + ".0");
        Path newerMinor = PluginJars.build(plugins.resolve("newer.jar"), PluginJars.counterPluginSources("newer", "newer"), "example.newer.CounterPlugin",
                SpiVersion.MAJOR + "." + (SpiVersion.MINOR + 1));
        Path unversioned = PluginJars.build(plugins.resolve("old.jar"), PluginJars.counterPluginSources("old", "old"), "example.old.CounterPlugin", null);
        Path corrupt = Files.write(Files.createDirectories(plugins.resolve("broken")).resolve("broken.jar"), "this is not a zip file".getBytes());
        Files.writeString(plugins.resolve("README.txt"), "not a plugin");

        PluginLoader.Result result = loader.load(plugins);

        assertThat(result.plugins()).extracting(LoadedPlugin::name).containsExactly("good");
        assertThat(result.problems()).extracting(Object::toString).containsExactlyInAnyOrder(
                corrupt + ": is not a readable jar (zip END header not found); replace or remove it",
                future + ": was built for SPI " + (SpiVersion.MAJOR + 1) + ".0 but this agent provides SPI " + SpiVersion.CURRENT
                        + "; install a version of the plugin built for SPI " + SpiVersion.MAJOR + ".x (at most " + SpiVersion.CURRENT + ") or an agent that provides SPI " + (SpiVersion.MAJOR + 1) + ".0",
                newerMinor + ": was built for SPI " + SpiVersion.MAJOR + "." + (SpiVersion.MINOR + 1) + " but this agent provides SPI " + SpiVersion.CURRENT
                        + "; install a version of the plugin built for SPI " + SpiVersion.MAJOR + ".x (at most " + SpiVersion.CURRENT + ") or an agent that provides SPI "
                        + SpiVersion.MAJOR + "." + (SpiVersion.MINOR + 1),
                unversioned + ": has no Outrider-Spi-Version in its manifest; rebuild it with the Outrider plugin kit against SPI " + SpiVersion.CURRENT);
        assertThat(result.problems()).allSatisfy(problem -> assertThat(problem.toString()).doesNotContain("\n"));
    }

    @Test
    void aPluginWhoseConstructorThrowsIsSkipped(@TempDir Path dir)
            throws Exception
    {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = PluginJars.build(plugins.resolve("bad.jar"), Map.of("example.bad.BadPlugin", """
                package example.bad;
                public final class BadPlugin implements io.outrider.spi.Plugin {
                    public BadPlugin() { throw new IllegalStateException("no licence key"); }
                }
                """), "example.bad.BadPlugin", SpiVersion.CURRENT);

        PluginLoader.Result result = loader.load(plugins);

        assertThat(result.plugins()).isEmpty();
        assertThat(result.problems()).extracting(Object::toString)
                .containsExactly(jar + ": cannot be loaded: java.lang.IllegalStateException: no licence key");
    }

    @Test
    void aServicesFileNamingAClassNoJarHoldsSaysWhichClassAndWhere(@TempDir Path dir)
            throws Exception
    {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins.resolve("typo").resolve("typo-1.0.jar"), PluginJars.counterPluginSources("typo", "typo"), "example.typo.CounterPlugn", SpiVersion.CURRENT);

        PluginLoader.Result result = loader.load(plugins);

        assertThat(result.plugins()).isEmpty();
        assertThat(result.problems()).extracting(Object::toString).containsExactly(plugins.resolve("typo") + ": META-INF/services/io.outrider.spi.Plugin in typo-1.0.jar"
                + " names example.typo.CounterPlugn, a class that none of the plugin's jars holds; correct the class name there, or add the jar that holds it");
    }

    /** The kit builds a zip to hand to operators; copied into plugins/ as it is, it says how to unpack it. */
    @Test
    void aPluginArchiveCopiedInsteadOfUnpackedIsReportedWithTheCommandThatUnpacksIt(@TempDir Path dir)
            throws Exception
    {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path zip = Files.write(plugins.resolve("jsonl-file-output-1.0.0-plugin.zip"), new byte[] {'P', 'K', 5, 6});
        Path tarball = Files.write(plugins.resolve("other-plugin.tar.gz"), new byte[] {31, -117});
        Files.writeString(plugins.resolve("NOTES.txt"), "not a plugin, not an archive");

        PluginLoader.Result result = loader.load(plugins);

        assertThat(result.plugins()).isEmpty();
        assertThat(result.problems()).extracting(Object::toString).containsExactly(
                zip + ": is an archive, and plugins are loaded from folders and jars: unpack it here (unzip jsonl-file-output-1.0.0-plugin.zip -d " + plugins
                        + "), then remove it",
                tarball + ": is an archive, and plugins are loaded from folders and jars: unpack it here (tar xzf other-plugin.tar.gz -C " + plugins
                        + "), then remove it");
    }

    @Test
    void duplicateTypesAreAConflictNamingBothPlugins(@TempDir Path dir)
            throws Exception
    {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins.resolve("one.jar"), PluginJars.counterPluginSources("one", "counter"), "example.one.CounterPlugin", SpiVersion.CURRENT);
        PluginJars.build(plugins.resolve("two.jar"), PluginJars.counterPluginSources("two", "counter"), "example.two.CounterPlugin", SpiVersion.CURRENT);
        PluginLoader.Result result = loader.load(plugins);

        PluginRegistry registry = new PluginRegistry(result.plugins(), result.problems());

        assertThat(registry.conflicting(ComponentKind.INPUT, "counter")).extracting(factory -> factory.plugin().name()).containsExactly("one", "two");
        assertThat(registry.conflictMessages()).contains("input type 'counter' is offered by more than one plugin: one (" + plugins.resolve("one.jar")
                + ") and two (" + plugins.resolve("two.jar") + "); remove all but one");
    }

    /** A plugin author's output type 'console' clashed with the agent's own, and was told to remove the agent's. */
    @Test
    void aClashWithTheAgentsOwnTypeAsksTheOtherPluginToGiveWay(@TempDir Path dir)
            throws Exception
    {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins.resolve("collide.jar"), PluginJars.counterPluginSources("collide", "counter"), "example.collide.CounterPlugin", SpiVersion.CURRENT);
        PluginLoader.Result result = loader.load(plugins);
        io.outrider.spi.Plugin own = new io.outrider.spi.Plugin()
        {
            @Override
            public java.util.List<io.outrider.spi.InputFactory<?>> inputFactories()
            {
                return result.plugins().get(0).plugin().inputFactories();
            }
        };
        java.util.List<LoadedPlugin> all = new java.util.ArrayList<>(result.plugins());
        all.add(0, new LoadedPlugin("core", java.util.Optional.empty(), "1", SpiVersion.CURRENT, own, getClass().getClassLoader()));

        PluginRegistry registry = new PluginRegistry(all, result.problems());

        assertThat(registry.conflictMessages()).containsExactly("input type 'counter' is offered by more than one plugin: core and collide ("
                + plugins.resolve("collide.jar") + "); it is the agent's own type: remove the other plugin or give its type another name");
    }

    @Test
    void missingPluginsDirectoryIsReportedNotFatal(@TempDir Path dir)
    {
        PluginLoader.Result result = loader.load(dir.resolve("nope"));
        assertThat(result.plugins()).isEmpty();
        assertThat(result.problems()).extracting(Object::toString)
                .containsExactly(dir.resolve("nope") + ": plugins directory does not exist; only built-in components are available");
    }
}
