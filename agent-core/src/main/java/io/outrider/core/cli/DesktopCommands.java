package io.outrider.core.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tray} and {@code configure} as the agent's command line lists them (help, man page, completion). The launcher
 * starts them in their own JVM with the desktop module on the class path ({@code io.outrider.desktop.DesktopMain});
 * reached here, without the launcher, they hand over to it when it is on the class path and else say how to start them.
 * They take the same {@link ConfigOptions} as the other commands, and the desktop module finds the configuration and env
 * file the same way.
 */
final class DesktopCommands
{
    private static final String DESKTOP_MAIN = "io.outrider.desktop.DesktopMain";

    private DesktopCommands() {}

    @Command(name = "tray",
            description = "Show the agent's state in the system tray (green shipping, yellow buffering, red error, grey not running), with Pause/Resume, View Logs and Configure. Exit 3 without a tray.")
    static final class Tray
            implements Callable<Integer>
    {
        @Mixin
        ConfigOptions config;

        @ParentCommand
        OutriderCommand outrider;

        @Override
        public Integer call()
        {
            return handOver("tray", config, outrider);
        }
    }

    @Command(name = "configure",
            description = "Open the configuration window: collector, API key, watched files, file integrity monitoring, options. Save validates like 'outrider validate' and makes a running agent reload.")
    static final class Configure
            implements Callable<Integer>
    {
        @Mixin
        ConfigOptions config;

        @ParentCommand
        OutriderCommand outrider;

        @Override
        public Integer call()
        {
            return handOver("configure", config, outrider);
        }
    }

    private static int handOver(String command, ConfigOptions config, OutriderCommand outrider)
    {
        List<String> arguments = new ArrayList<>(List.of(command));
        config.configOption().ifPresent(file -> arguments.addAll(List.of("--config", file.toString())));
        config.envFileOption().ifPresent(file -> arguments.addAll(List.of("--env-file", file.toString())));
        outrider.requestedLogLevel().ifPresent(level -> arguments.addAll(List.of("--log-level", level.name().toLowerCase(java.util.Locale.ROOT))));
        try {
            Class<?> main = Class.forName(DESKTOP_MAIN);
            return (int) main.getMethod("execute", PrintStream.class, PrintStream.class, String[].class)
                    .invoke(null, System.out, System.err, arguments.toArray(String[]::new));
        }
        catch (ClassNotFoundException e) {
            System.err.println("outrider " + command + " needs the desktop module (lib/desktop/ of the distribution); start it with bin/outrider " + command);
            return 1;
        }
        catch (InvocationTargetException e) {
            throw new IllegalStateException("outrider " + command + " failed: " + e.getCause(), e.getCause());
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the desktop module does not offer " + DESKTOP_MAIN + ".execute(PrintStream, PrintStream, String...)", e);
        }
    }
}
