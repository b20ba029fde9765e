package io.outrider.core.cli;

import io.outrider.core.AgentVersion;
import io.outrider.spi.SpiVersion;
import picocli.CommandLine.Command;

/** The top-level command; everything is a subcommand. */
@Command(name = "outrider",
        mixinStandardHelpOptions = true,
        versionProvider = OutriderCommand.Version.class,
        description = "Endpoint agent for security and log data.",
        subcommands = {
                RunCommand.class,
                ValidateCommand.class,
                PluginsCommand.class,
                ParseCommand.class,
                StatusCommand.class,
                ControlCommand.class,
                ImportConfigCommand.class,
                FimCommand.class,
                DeadLettersCommand.class,
                BufferCommand.class,
                VersionCommand.class,
        })
final class OutriderCommand
        implements Runnable
{
    @Override
    public void run()
    {
        System.err.println("Usage: outrider [run|validate|plugins|parse|status|control|import-config|fim|dead-letters|buffer|version|tray|configure] ... (outrider --help for more)");
    }

    static final class Version
            implements picocli.CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            return new String[] {"outrider " + AgentVersion.get() + " (SPI " + SpiVersion.CURRENT + ", Java " + Runtime.version() + ")"};
        }
    }
}
