package io.outrider.core.cli;

import io.outrider.core.config.AgentDefaults;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.plugin.ComponentKind;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.plugin.PluginLoadProblem;
import io.outrider.core.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/** {@code outrider plugins}: what is installed, and what could not be loaded. */
@Command(name = "plugins", description = "List installed plugins: name, folder, version, SPI version and the types they offer; then the plugins that were skipped and why.")
final class PluginsCommand
        implements Callable<Integer>
{
    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "plugins directory (default: $OUTRIDER_HOME/plugins)")
    Path pluginsDir;

    @Override
    public Integer call()
    {
        Bootstrap bootstrap = ConfigOptions.bootstrap();
        LogSetup.forCommand(bootstrap.secrets(), Level.SEVERE);
        Path dir = pluginsDir != null ? pluginsDir : AgentDefaults.forThisMachine(bootstrap.environment()).pluginsDir();
        PluginRegistry registry = bootstrap.plugins(dir);
        System.out.println("Plugins in " + dir + ":");
        for (LoadedPlugin plugin : registry.plugins()) {
            System.out.println();
            System.out.println(plugin.name() + "  version " + plugin.version() + "  SPI " + plugin.spiVersion() + "  " + plugin.location().map(Path::toString).orElse("(built in)"));
            Map<ComponentKind, List<String>> types = PluginRegistry.typesOf(plugin.plugin());
            for (ComponentKind kind : ComponentKind.values()) {
                if (!types.get(kind).isEmpty()) {
                    System.out.println("  " + kind.section() + ": " + String.join(", ", types.get(kind)));
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
        return 0;
    }
}
