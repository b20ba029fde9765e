package io.outrider.core.cli;

import io.outrider.core.AgentVersion;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.CliEnvironment;
import io.outrider.core.logging.LogSetup;
import io.outrider.spi.SpiVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

import static java.util.Objects.requireNonNull;

/**
 * The top-level command; everything is a subcommand. Its {@code -h}/{@code --help}, {@code -V}/{@code --version},
 * {@code --log-level} and {@code -v} are inherited by every subcommand, so that {@code outrider run --help} and
 * {@code outrider validate -v} work like the top level.
 */
@Command(name = "outrider",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = OutriderCommand.Version.class,
        description = "Endpoint agent for security and log data.")
final class OutriderCommand
        implements Callable<Integer>
{
    /**
     * Every subcommand, in the order the usage lists them. Not in the annotation: {@link Main#commandLine} adds them,
     * all of them or only the one a command line names, because picocli builds the model of every subcommand it is
     * given (their options and parameters, by reflection), a fifth of a second of each start for commands that run
     * one.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            RunCommand.class,
            ValidateCommand.class,
            PluginsCommand.class,
            ParseCommand.class,
            StatusCommand.class,
            TapCommand.class,
            TopCommand.class,
            ControlCommand.class,
            TestCommand.class,
            ImportConfigCommand.class,
            RunOnceCommand.class,
            FimCommand.class,
            DeadLettersCommand.class,
            BufferCommand.class,
            DesktopCommands.Tray.class,
            DesktopCommands.Configure.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class);

    /** The subcommand {@code name} names (as its {@code @Command} does), if any. */
    static Optional<Class<?>> subcommand(String name)
    {
        for (Class<?> subcommand : SUBCOMMANDS) {
            Command command = subcommand.getAnnotation(Command.class);
            if (command.name().equals(name) || List.of(command.aliases()).contains(name)) {
                return Optional.of(subcommand);
            }
        }
        return Optional.empty();
    }

    private final CliEnvironment cliEnvironment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT,
            description = "log at this level: error, warning, info or debug (default: agent.log.level for run, warnings and errors for the other commands)")
    AgentSettings.LogLevel logLevel;

    @Option(names = "-v", scope = ScopeType.INHERIT, description = "the same as --log-level debug")
    boolean verbose;

    OutriderCommand(CliEnvironment cliEnvironment)
    {
        this.cliEnvironment = requireNonNull(cliEnvironment, "cliEnvironment is null");
    }

    CliEnvironment cliEnvironment()
    {
        return cliEnvironment;
    }

    /** The level the command line asks for ({@code -v} wins over {@code --log-level}), if any. */
    Optional<AgentSettings.LogLevel> requestedLogLevel()
    {
        return verbose ? Optional.of(AgentSettings.LogLevel.DEBUG) : Optional.ofNullable(logLevel);
    }

    /** The java.util.logging level for a short command: the requested one, else {@code commandDefault}. */
    Level logLevel(Level commandDefault)
    {
        return requestedLogLevel().map(LogSetup::level).orElse(commandDefault);
    }

    /** {@code outrider} alone: the usage, listing every command; exit 2 as for any incomplete command line. */
    @Override
    public Integer call()
    {
        spec.commandLine().usage(System.err);
        return 2;
    }

    static final class Version
            implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            return new String[] {"outrider " + AgentVersion.get() + " (SPI " + SpiVersion.CURRENT + ", Java " + Runtime.version() + ")"};
        }
    }
}
