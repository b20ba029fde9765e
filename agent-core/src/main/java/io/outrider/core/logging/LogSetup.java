package io.outrider.core.logging;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.SecretRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The agent logs through java.util.logging, the JDK's own backend behind {@link System.Logger} (which is what
 * plugins get): no extra jar, one place for redaction. On a terminal the log goes to standard error; otherwise to a
 * rotating file in the data directory ({@code logs/outrider.log}, size and count from {@code agent.log}).
 */
public final class LogSetup
{
    private LogSetup() {}

    /** Logging for short commands (validate, plugins, parse): warnings and errors to standard error. */
    public static void forCommand(SecretRegistry secrets, Level level)
    {
        Logger root = reset(level);
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(level);
        console.setFormatter(new RedactingFormatter(secrets));
        root.addHandler(console);
    }

    /**
     * Logging for a running agent.
     *
     * @param toTerminal whether standard error is a terminal (then the log goes there too)
     * @return where the log file is, if one is written
     */
    public static java.util.Optional<Path> forAgent(AgentSettings settings, SecretRegistry secrets, boolean toTerminal)
            throws IOException
    {
        Level level = switch (settings.log().level()) {
            case ERROR -> Level.SEVERE;
            case WARNING -> Level.WARNING;
            case INFO -> Level.INFO;
            case DEBUG -> Level.FINE;
        };
        Logger root = reset(level);
        RedactingFormatter formatter = new RedactingFormatter(secrets);
        if (toTerminal) {
            ConsoleHandler console = new ConsoleHandler();
            console.setLevel(level);
            console.setFormatter(formatter);
            root.addHandler(console);
        }
        Path file = settings.log().file() != null ? settings.log().file() : settings.dataDir().resolve("logs").resolve("outrider.log");
        if (!toTerminal || settings.log().file() != null) {
            io.outrider.core.storage.PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
            long limit = Math.min(Integer.MAX_VALUE, settings.log().maxFileSize().bytes());
            Handler handler = new FileHandler(file.toAbsolutePath().toString().replace("%", "%%") + ".%g", (int) limit, settings.log().files(), true);
            handler.setLevel(level);
            handler.setFormatter(formatter);
            handler.setEncoding("UTF-8");
            root.addHandler(handler);
            // the current file is generation 0; older ones are .1, .2, ...
            Path current = file.resolveSibling(file.getFileName() + ".0");
            // the handler creates its files with the umask's mode; the log quotes events
            io.outrider.core.storage.PrivateFiles.restrict(current);
            return java.util.Optional.of(current);
        }
        return java.util.Optional.empty();
    }

    private static Logger reset(Level level)
    {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        // third-party libraries are chatty at INFO; keep them to warnings
        Logger.getLogger("com.sun.net.httpserver").setLevel(Level.WARNING);
        Logger.getLogger("jdk.internal.httpclient").setLevel(Level.WARNING);
        return root;
    }
}
