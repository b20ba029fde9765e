package io.outrider.core.plugin;

import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds throw-away plugin jars at test time: Java sources compiled against the SPI only (nothing of core is on the
 * compiler's class path), a services file, and a manifest with the SPI version.
 */
public final class PluginJars
{
    private PluginJars() {}

    /** The SPI's classes (a jar or target/classes): the only thing a plugin compiles against. */
    public static Path spiClassPath()
    {
        try {
            return Path.of(Plugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compiles {@code sources} (fully qualified class name → source) and writes {@code jar}.
     *
     * @param pluginClass the class named in META-INF/services/io.outrider.spi.Plugin
     * @param spiVersion the manifest's SPI version, or null to leave it out
     */
    public static Path build(Path jar, Map<String, String> sources, String pluginClass, String spiVersion)
            throws IOException
    {
        return build(jar, sources, pluginClass, spiVersion, Map.of());
    }

    /** As {@link #build(Path, Map, String, String)}, with more main attributes in the manifest. */
    public static Path build(Path jar, Map<String, String> sources, String pluginClass, String spiVersion, Map<String, String> manifestAttributes)
            throws IOException
    {
        Path work = Files.createTempDirectory("outrider-test-plugin-");
        try {
            return build(jar, sources, pluginClass, spiVersion, manifestAttributes, work);
        }
        finally {
            org.apache.commons.io.file.PathUtils.deleteDirectory(work);
        }
    }

    private static Path build(Path jar, Map<String, String> sources, String pluginClass, String spiVersion, Map<String, String> manifestAttributes, Path work)
            throws IOException
    {
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = work.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-classpath", spiClassPath().toString(), "-d", classes.toString()));
        arguments.addAll(files);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int result = compiler.run(null, errors, errors, arguments.toArray(new String[0]));
        if (result != 0) {
            throw new IllegalStateException("test plugin does not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "9.9.9");
        if (spiVersion != null) {
            manifest.getMainAttributes().putValue(SpiVersion.MANIFEST_ATTRIBUTE, spiVersion);
        }
        manifestAttributes.forEach(manifest.getMainAttributes()::putValue);
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry("META-INF/services/" + Plugin.class.getName()));
            jarOut.write((pluginClass + "\n").getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
            try (Stream<Path> walk = Files.walk(classes)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    jarOut.write(Files.readAllBytes(file));
                    jarOut.closeEntry();
                }
            }
        }
        return jar;
    }

    /**
     * A plugin with an input type {@code counter} (emits {@code count} events numbered from its checkpoint, with
     * the next number as checkpoint, in batches of 10, then idles until closed) and a parser type {@code tag}
     * (adds {@code tagged=<value>} to every event). Package {@code example.<name>}.
     */
    public static Map<String, String> counterPluginSources(String name, String inputType)
    {
        String pkg = "example." + name;
        return Map.of(pkg + ".CounterPlugin", """
                package PKG;

                import io.outrider.spi.*;
                import java.util.*;

                public final class CounterPlugin implements Plugin {
                    public record CounterConfig(Integer count) {
                        public CounterConfig { count = count == null ? 10 : count; }
                    }
                    public record TagConfig(String value) {}

                    @Override
                    public List<InputFactory<?>> inputFactories() {
                        return List.of(new InputFactory<CounterConfig>() {
                            public String type() { return "INPUT_TYPE"; }
                            public Class<CounterConfig> configClass() { return CounterConfig.class; }
                            public void validate(CounterConfig config) throws InvalidConfigException {
                                if (config.count() < 0) throw new InvalidConfigException("count", "must not be negative");
                            }
                            public Input create(CounterConfig config, ComponentContext context) {
                                return new CounterInput(config.count(), context);
                            }
                        });
                    }

                    @Override
                    public List<ParserFactory<?>> parserFactories() {
                        return List.of(new ParserFactory<TagConfig>() {
                            public String type() { return "tag"; }
                            public Class<TagConfig> configClass() { return TagConfig.class; }
                            public Parser create(TagConfig config, ComponentContext context) {
                                return event -> ParseResult.matched(event.toBuilder().field("tagged", config.value() == null ? "yes" : config.value()).build());
                            }
                        });
                    }

                    static final class CounterInput implements Input {
                        private final int count;
                        private final ComponentContext context;
                        private volatile boolean closed;
                        CounterInput(int count, ComponentContext context) { this.count = count; this.context = context; }
                        public void run(Emitter emitter) throws Exception {
                            int next = Integer.parseInt(context.checkpoints().getOrDefault("next", "0"));
                            while (next < count && !closed) {
                                List<Event> batch = new ArrayList<>();
                                int end = Math.min(count, next + 10);
                                for (int i = next; i < end; i++) {
                                    batch.add(Event.builder().timestamp(context.clock().instant()).message("event " + i).field("n", i).build());
                                }
                                emitter.emit(batch, Checkpoint.of("next", String.valueOf(end)));
                                next = end;
                            }
                            synchronized (this) {
                                while (!closed) { wait(50); }
                            }
                        }
                        public void close() {
                            closed = true;
                            synchronized (this) { notifyAll(); }
                        }
                    }
                }
                """.replace("PKG", pkg).replace("INPUT_TYPE", inputType));
    }
}
