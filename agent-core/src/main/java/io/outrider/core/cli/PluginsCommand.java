package io.outrider.core.cli;

import io.outrider.config.DidYouMean;
import io.outrider.core.config.AgentDefaults;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.plugin.ComponentKind;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.plugin.PluginLoadProblem;
import io.outrider.core.plugin.PluginRegistry;
import io.outrider.core.plugin.RegisteredFactory;
import io.outrider.core.reference.ComponentReference;
import io.outrider.core.reference.OptionReference;
import io.outrider.core.reference.ReferenceDocs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/** {@code outrider plugins}: what is installed, and what could not be loaded; with {@code --verbose} every option. */
@Command(name = "plugins",
        description = "List installed plugins: name, folder, version, SPI version and the types they offer; then the plugins that were skipped and why. "
                + "Exit 0 when every plugin loaded, 1 when one was skipped or two offer the same type.",
        subcommands = {PluginsCommand.Describe.class, PluginsCommand.Docs.class})
final class PluginsCommand
        implements Callable<Integer>
{
    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "plugins directory (default: $OUTRIDER_HOME/plugins)")
    Path pluginsDir;

    @Option(names = "--verbose", description = "also print each type's description and every option: type, default, whether required or sensitive, and what it does")
    boolean verbose;

    @Override
    public Integer call()
    {
        Bootstrap bootstrap = ConfigOptions.bootstrap();
        LogSetup.forCommand(bootstrap.secrets(), Level.SEVERE);
        Path dir = pluginsDirectory(bootstrap, pluginsDir);
        PluginRegistry registry = bootstrap.plugins(dir);
        System.out.println("Plugins in " + dir + ":");
        for (LoadedPlugin plugin : registry.plugins()) {
            System.out.println();
            System.out.println(plugin.name() + "  version " + plugin.version() + "  SPI " + plugin.spiVersion() + "  " + plugin.location().map(Path::toString).orElse("(built in)"));
            Map<ComponentKind, List<String>> types = PluginRegistry.typesOf(plugin.plugin());
            for (ComponentKind kind : ComponentKind.values()) {
                // the types the registry took from this plugin: one it skipped (an invalid name) is listed under Skipped only
                List<String> offered = types.get(kind).stream().filter(type -> registry.find(kind, type).filter(factory -> factory.plugin() == plugin).isPresent()
                        || registry.conflicting(kind, type).stream().anyMatch(factory -> factory.plugin() == plugin)).toList();
                if (!offered.isEmpty()) {
                    System.out.println("  " + kind.section() + ": " + String.join(", ", offered));
                }
            }
            if (verbose) {
                for (ComponentKind kind : ComponentKind.values()) {
                    for (String type : types.get(kind)) {
                        registry.find(kind, type)
                                .filter(factory -> factory.plugin() == plugin)
                                .ifPresent(factory -> {
                                    System.out.println();
                                    print(factory, System.out, "  ");
                                });
                    }
                }
            }
        }
        if (!registry.loadProblems().isEmpty()) {
            System.out.println();
            System.out.println("Skipped:");
            for (PluginLoadProblem problem : registry.loadProblems()) {
                System.out.println("  " + problem);
            }
        }
        for (String conflict : registry.conflictMessages()) {
            System.out.println("Conflict: " + conflict);
        }
        if (registry.loadProblems().isEmpty() && registry.conflictMessages().isEmpty()) {
            return 0;
        }
        // a script or an install check must not read "listed" as "all loaded"
        System.err.println("not every plugin loaded: " + registry.loadProblems().size() + " skipped, " + registry.conflictMessages().size()
                + " conflicting type(s) (listed above)");
        return 1;
    }

    private static Path pluginsDirectory(Bootstrap bootstrap, Path option)
    {
        return option != null ? option : AgentDefaults.forThisMachine(bootstrap.environment()).pluginsDir();
    }

    /**
     * <pre>
     * input type 'file' (plugin input-file)
     *   tails log files matched by globs, ...
     *
     *   paths (list of text, required)
     *       absolute globs of the files to tail, ** crosses directories
     * </pre>
     */
    private static void print(RegisteredFactory factory, PrintStream out, String indent)
    {
        ComponentReference reference;
        try {
            reference = ComponentReference.of(factory);
        }
        catch (Exception | LinkageError e) {
            out.println(indent + factory.describe() + ": cannot read its options: " + e);
            return;
        }
        out.println(indent + reference.title());
        if (!reference.description().isEmpty()) {
            out.println(indent + "  " + reference.description());
        }
        if (reference.options().isEmpty()) {
            out.println(indent + "  (no options)");
            return;
        }
        if (!reference.defaultsUnknownBecause().isEmpty()) {
            out.println(indent + "  defaults unknown: " + reference.defaultsUnknownBecause() + " (a plugin bug: the constructor must accept null for every key)");
        }
        out.println();
        for (OptionReference option : reference.options()) {
            List<String> facts = new ArrayList<>();
            facts.add(option.type());
            if (option.required()) {
                facts.add("required");
            }
            if (option.sensitive()) {
                facts.add("sensitive");
            }
            String line = indent + "  " + option.name() + " (" + String.join(", ", facts) + (option.required() || option.isMapping() ? "" : "; default " + option.defaultText()) + ")";
            out.println(line);
            if (!option.description().isEmpty()) {
                out.println(indent + "      " + option.description());
            }
        }
    }

    /** {@code outrider plugins describe TYPE}: one component type's options. */
    @Command(name = "describe", description = "Print a component type's description and every option: YAML name, type, default, whether required or sensitive, and what it does.")
    static final class Describe
            implements Callable<Integer>
    {
        @Parameters(paramLabel = "TYPE", description = "the component type, e.g. file, sshd, http")
        String type;

        @Option(names = "--plugins-dir", paramLabel = "DIR", description = "plugins directory (default: $OUTRIDER_HOME/plugins)")
        Path pluginsDir;

        @Override
        public Integer call()
        {
            Bootstrap bootstrap = ConfigOptions.bootstrap();
            LogSetup.forCommand(bootstrap.secrets(), Level.SEVERE);
            PluginRegistry registry = bootstrap.plugins(pluginsDirectory(bootstrap, pluginsDir));
            List<RegisteredFactory> found = new ArrayList<>();
            TreeSet<String> available = new TreeSet<>();
            for (ComponentKind kind : ComponentKind.values()) {
                registry.find(kind, type).ifPresent(found::add);
                available.addAll(registry.types(kind));
            }
            if (found.isEmpty()) {
                String hint = DidYouMean.closest(type, available).map(candidate -> "; did you mean '" + candidate + "'?").orElse("");
                System.err.println("no installed plugin offers a component type '" + type + "'" + hint + " (available: " + String.join(", ", available) + ")");
                return 2;
            }
            for (int i = 0; i < found.size(); i++) {
                if (i > 0) {
                    System.out.println();
                }
                print(found.get(i), System.out, "");
            }
            // the plugin described is one of several offering the type: a configuration naming it does not validate
            List<String> conflicts = new ArrayList<>();
            for (RegisteredFactory factory : found) {
                List<RegisteredFactory> offering = registry.conflicting(factory.kind(), type);
                if (!offering.isEmpty()) {
                    conflicts.add(PluginRegistry.conflictMessage(factory.kind(), type, offering));
                }
            }
            conflicts.forEach(conflict -> System.err.println("Conflict: " + conflict));
            return conflicts.isEmpty() ? 0 : 1;
        }
    }

    /** {@code outrider plugins docs --output DIR}: the Markdown reference of docs/reference/. */
    @Command(name = "docs", description = "Write the Markdown configuration reference of every installed component type (one file per type and an index README.md) into a directory; the repository's docs/reference/ is made this way.")
    static final class Docs
            implements Callable<Integer>
    {
        @Option(names = "--output", required = true, paramLabel = "DIR", description = "directory to write into (created if needed); generated files of types no longer installed are deleted")
        Path output;

        @Option(names = "--plugins-dir", paramLabel = "DIR", description = "plugins directory (default: $OUTRIDER_HOME/plugins)")
        Path pluginsDir;

        @Override
        public Integer call()
                throws Exception
        {
            Bootstrap bootstrap = ConfigOptions.bootstrap();
            LogSetup.forCommand(bootstrap.secrets(), Level.SEVERE);
            PluginRegistry registry = bootstrap.plugins(pluginsDirectory(bootstrap, pluginsDir));
            if (!registry.loadProblems().isEmpty() || !registry.conflictMessages().isEmpty()) {
                // a reference that silently lacks a plugin is worse than none
                registry.loadProblems().forEach(problem -> System.err.println("plugin skipped: " + problem));
                registry.conflictMessages().forEach(System.err::println);
                System.err.println("not writing the reference: fix the plugins above first");
                return 1;
            }
            List<Path> written;
            try {
                written = ReferenceDocs.of(registry).write(output);
            }
            catch (IOException e) {
                System.err.println("cannot write the reference: " + e.getMessage());
                return 1;
            }
            System.out.println("Wrote " + written.size() + " files to " + output);
            return 0;
        }
    }
}
