package io.outrider.core.pipeline;

import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.plugin.PluginJars;
import io.outrider.core.plugin.PluginRegistry;
import io.outrider.spi.SpiVersion;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plugin jar built at test time (package {@code example.probe}) with an input, a parser and an output of type
 * {@code probe}. Every method of every SPI type it implements, its plugin constructor and its config record's
 * constructor record whether the thread context class loader was the plugin's own. The input emits {@code count}
 * events (default 1) and waits to be closed; the parser records which thread calls each instance; {@code
 * fail_create: true} makes any of the three factories throw an {@link IllegalStateException} from {@code create}.
 * The test reads the plugin's static state through the plugin's own class loader.
 */
final class ProbePlugin
{
    private ProbePlugin() {}

    static Path build(Path pluginsDirectory)
            throws IOException
    {
        return PluginJars.build(pluginsDirectory.resolve("probe").resolve("probe.jar"), Map.of("example.probe.ProbePlugin", SOURCE), "example.probe.ProbePlugin", SpiVersion.CURRENT);
    }

    /** Entry point (e.g. {@code parser.parse}) to "ok", or to "wrong loader: ..." when it ran under another loader. */
    @SuppressWarnings("unchecked")
    static Map<String, String> calls(PluginRegistry registry)
            throws ReflectiveOperationException
    {
        return Map.copyOf((Map<String, String>) field(registry, "CALLS"));
    }

    /** Parser instance number to the names of the threads that called its {@code parse}. */
    @SuppressWarnings("unchecked")
    static Map<Integer, Set<String>> parserThreads(PluginRegistry registry)
            throws ReflectiveOperationException
    {
        return Map.copyOf((Map<Integer, Set<String>>) field(registry, "PARSER_THREADS"));
    }

    /** Parser instance numbers whose {@code close} was called. */
    @SuppressWarnings("unchecked")
    static Set<Integer> closedParsers(PluginRegistry registry)
            throws ReflectiveOperationException
    {
        return Set.copyOf((Set<Integer>) field(registry, "CLOSED_PARSERS"));
    }

    /** Waits until the probe outputs together were handed {@code count} events. */
    static void awaitDelivered(PluginRegistry registry, int count, Duration timeout)
            throws ReflectiveOperationException, InterruptedException
    {
        AtomicInteger delivered = (AtomicInteger) field(registry, "DELIVERED");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (delivered.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + count + " delivered events; have " + delivered.get());
            }
            Thread.sleep(10);
        }
    }

    static ClassLoader loader(PluginRegistry registry)
    {
        return registry.plugins().stream().filter(plugin -> plugin.name().equals("probe")).map(LoadedPlugin::classLoader).findFirst()
                .orElseThrow(() -> new AssertionError("probe plugin not loaded: " + registry.loadProblems()));
    }

    private static Object field(PluginRegistry registry, String name)
            throws ReflectiveOperationException
    {
        return loader(registry).loadClass("example.probe.ProbePlugin").getField(name).get(null);
    }

    private static final String SOURCE = """
            package example.probe;

            import io.outrider.spi.*;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.concurrent.atomic.*;

            public final class ProbePlugin implements Plugin {
                public static final Map<String, String> CALLS = new ConcurrentHashMap<>();
                public static final Map<Integer, Set<String>> PARSER_THREADS = new ConcurrentHashMap<>();
                public static final Set<Integer> CLOSED_PARSERS = ConcurrentHashMap.newKeySet();
                public static final AtomicInteger DELIVERED = new AtomicInteger();
                private static final AtomicInteger PARSERS = new AtomicInteger();

                static void check(String entry) {
                    ClassLoader context = Thread.currentThread().getContextClassLoader();
                    String seen = context == ProbePlugin.class.getClassLoader() ? "ok" : "wrong loader: " + context;
                    CALLS.merge(entry, seen, (old, now) -> old.equals("ok") ? now : old);
                }

                public record Config(Integer count, Boolean failCreate) {
                    public Config {
                        check("config record constructor");
                        count = count == null ? 1 : count;
                        failCreate = failCreate != null && failCreate;
                    }
                }

                public ProbePlugin() { check("plugin constructor"); }

                public List<InputFactory<?>> inputFactories() { check("plugin.inputFactories"); return List.of(new In()); }
                public List<ParserFactory<?>> parserFactories() { check("plugin.parserFactories"); return List.of(new Parse()); }
                public List<OutputFactory<?>> outputFactories() { check("plugin.outputFactories"); return List.of(new Out()); }

                abstract static class Base<T> implements ComponentFactory<Config, T> {
                    final String kind;
                    Base(String kind) { this.kind = kind; }
                    public String type() { check(kind + ".type"); return "probe"; }
                    public Class<Config> configClass() { check(kind + ".configClass"); return Config.class; }
                    public String description() { check(kind + ".description"); return "probes the context class loader"; }
                    public void validate(Config config) throws InvalidConfigException {
                        check(kind + ".validate");
                        if (config.count() < 0) throw new InvalidConfigException("count", "must not be negative");
                    }
                    public List<String> warnings(Config config) { check(kind + ".warnings"); return List.of(); }
                    public Set<String> sensitiveProperties() { check(kind + ".sensitiveProperties"); return Set.of(); }
                    public T create(Config config, ComponentContext context) {
                        check(kind + ".create");
                        if (config.failCreate()) throw new IllegalStateException("probe " + kind + " has a bug");
                        return make(config, context);
                    }
                    abstract T make(Config config, ComponentContext context);
                }

                static final class In extends Base<Input> implements InputFactory<Config> {
                    In() { super("input"); }
                    Input make(Config config, ComponentContext context) {
                        return new Input() {
                            private volatile boolean closed;
                            public void run(Emitter emitter) throws Exception {
                                check("input.run");
                                if (!context.checkpoints().containsKey("done")) {
                                    List<Event> batch = new ArrayList<>();
                                    for (int i = 0; i < config.count(); i++) {
                                        batch.add(Event.builder().timestamp(context.clock().instant()).message(context.componentId() + " " + i).build());
                                    }
                                    emitter.emit(batch, Checkpoint.of("done", "yes"));
                                }
                                synchronized (this) {
                                    while (!closed) { wait(50); }
                                }
                            }
                            public void close() {
                                check("input.close");
                                closed = true;
                                synchronized (this) { notifyAll(); }
                            }
                        };
                    }
                }

                static final class Parse extends Base<Parser> implements ParserFactory<Config> {
                    Parse() { super("parser"); }
                    Parser make(Config config, ComponentContext context) {
                        int instance = PARSERS.incrementAndGet();
                        Set<String> threads = ConcurrentHashMap.newKeySet();
                        PARSER_THREADS.put(instance, threads);
                        return new Parser() {
                            public ParseResult parse(Event event) {
                                check("parser.parse");
                                threads.add(Thread.currentThread().getName());
                                return ParseResult.matched(event.toBuilder().field("parser_instance", instance).build());
                            }
                            public void close() {
                                check("parser.close");
                                CLOSED_PARSERS.add(instance);
                            }
                        };
                    }
                }

                static final class Out extends Base<Output> implements OutputFactory<Config> {
                    Out() { super("output"); }
                    Output make(Config config, ComponentContext context) {
                        return new Output() {
                            public void start() { check("output.start"); }
                            public DeliveryResult deliver(List<Event> batch) {
                                check("output.deliver");
                                DELIVERED.addAndGet(batch.size());
                                return DeliveryResult.delivered();
                            }
                            public void close() { check("output.close"); }
                        };
                    }
                }
            }
            """;
}
