package io.outrider.core.logging;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.SecretRegistry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.FileHandler;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

import static java.util.Objects.requireNonNull;

/**
 * The agent logs through java.util.logging, the JDK's own backend behind {@link System.Logger} (which is what
 * plugins get): no extra jar, one place for redaction. The log always goes to standard error, where systemd's journal,
 * {@code docker logs} and a terminal find it, in the {@link RedactingFormatter.Style style} that suits the reader (see
 * {@link #stderrStyle}); a rotating file as well only when {@code agent.log.file} is set.
 */
public final class LogSetup
{
    /** Set by systemd for a service whose standard error is the journal (systemd.exec(5)). */
    public static final String JOURNAL_STREAM = "JOURNAL_STREAM";

    /**
     * Libraries that log their internals below WARNING, kept to warnings and errors: at {@code debug} the agent shows what
     * it decides, not these.
     * The JDK HTTP client in particular logs whole URLs, query tokens included, at debug.
     */
    private static final List<String> THIRD_PARTY_LOGGERS = List.of("com.google.inject", "com.sun.net.httpserver", "jdk.internal.httpclient", "jdk.httpclient",
            "java.net.http", "sun.net", "org.sqlite", "org.apache.kafka", "io.grpc", "io.netty", "io.opentelemetry", "javax.management", "sun.rmi", "jdk.event",
            "java.awt", "sun.awt", "javax.swing");

    private LogSetup() {}

    /** The java.util.logging level of a configured level. */
    public static Level level(AgentSettings.LogLevel level)
    {
        return switch (requireNonNull(level, "level is null")) {
            case ERROR -> Level.SEVERE;
            case WARNING -> Level.WARNING;
            case INFO -> Level.INFO;
            case DEBUG -> Level.FINE;
        };
    }

    /**
     * How records are written to standard error: for a person on a terminal; else one line per record, with the
     * syslog priority in front when systemd connected standard error to the journal ({@code JOURNAL_STREAM} set).
     */
    public static RedactingFormatter.Style stderrStyle(boolean terminal, Map<String, String> environment)
    {
        if (terminal) {
            return RedactingFormatter.Style.MULTI_LINE;
        }
        return environment.containsKey(JOURNAL_STREAM) ? RedactingFormatter.Style.JOURNAL : RedactingFormatter.Style.SINGLE_LINE;
    }

    /** The style for this process: its terminal (if any) and environment. */
    public static RedactingFormatter.Style stderrStyle()
    {
        return stderrStyle(System.console() != null, System.getenv());
    }

    /** Logging for short commands (validate, plugins, parse, ...): records at {@code level} and above to standard error. */
    public static void forCommand(SecretRegistry secrets, Level level)
    {
        Logger root = reset(level);
        root.addHandler(stderrHandler(System.err, level, new RedactingFormatter(secrets, stderrStyle())));
    }

    /**
     * Logging for a running agent: to {@code stderr} in {@code style}, and to the rotating file {@code agent.log.file}
     * when it is set.
     *
     * @param level the level to log at ({@code agent.log.level}, or the command line's {@code --log-level})
     * @return the log file, when one is written (the current generation, {@code FILE.0})
     */
    public static Optional<Path> forAgent(AgentSettings settings, Level level, SecretRegistry secrets, RedactingFormatter.Style style, OutputStream stderr)
            throws IOException
    {
        Logger root = reset(level);
        root.addHandler(stderrHandler(stderr, level, new RedactingFormatter(secrets, style)));
        if (settings.log().file() == null) {
            return Optional.empty();
        }
        Path file = settings.log().file().toAbsolutePath();
        // the log quotes events: private whatever the umask
        io.outrider.core.files.PrivateFiles.createDirectories(file.getParent());
        long limit = Math.min(Integer.MAX_VALUE, settings.log().maxFileSize().bytes());
        Handler handler = new FileHandler(file.toString().replace("%", "%%") + ".%g", (int) limit, settings.log().files(), true);
        handler.setLevel(level);
        handler.setFormatter(new RedactingFormatter(secrets));
        handler.setFilter(OWN_DEBUG_ONLY);
        handler.setEncoding("UTF-8");
        root.addHandler(handler);
        // the current file is generation 0; older ones are .1, .2, ...; the handler creates it with the umask's mode
        Path current = file.resolveSibling(file.getFileName() + ".0");
        io.outrider.core.files.PrivateFiles.restrict(current);
        return Optional.of(current);
    }

    /**
     * Debug records only from the agent and its components: a library not listed above may still log at debug, and is
     * dropped here. Its INFO and above pass (a plugin's own logger is such a library's, too). The listed libraries
     * pass only from WARNING up, here as well as through their logger levels: the JDK creates some of its loggers in
     * its own system context, where levels read by {@link #reset} may not reach them.
     */
    private static final Filter OWN_DEBUG_ONLY = record -> {
        int level = record.getLevel().intValue();
        if (isThirdParty(record.getLoggerName())) {
            return level >= Level.WARNING.intValue();
        }
        return level >= Level.INFO.intValue() || isOwn(record.getLoggerName());
    };

    private static boolean isThirdParty(String loggerName)
    {
        if (loggerName == null) {
            return false;
        }
        for (String name : THIRD_PARTY_LOGGERS) {
            if (loggerName.startsWith(name) && (loggerName.length() == name.length() || loggerName.charAt(name.length()) == '.')) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOwn(String loggerName)
    {
        // component loggers are "outrider.<pipeline>.<component>" (RuntimeComponentContext)
        return loggerName != null && (loggerName.startsWith("io.outrider.") || loggerName.startsWith("outrider."));
    }

    private static Handler stderrHandler(OutputStream stderr, Level level, RedactingFormatter formatter)
    {
        Handler handler = new FlushingStreamHandler(stderr, formatter);
        handler.setLevel(level);
        handler.setFilter(OWN_DEBUG_ONLY);
        return handler;
    }

    private static Logger reset(Level level)
    {
        // levels as configuration properties rather than set on Logger objects: the LogManager keeps them and applies
        // them to loggers created later, and a Logger nobody references (and its level with it) may be collected
        StringBuilder properties = new StringBuilder("handlers=\n.level=").append(level.getName()).append('\n');
        String thirdPartyLevel = (level.intValue() > Level.WARNING.intValue() ? level : Level.WARNING).getName();
        for (String name : THIRD_PARTY_LOGGERS) {
            properties.append(name).append(".level=").append(thirdPartyLevel).append('\n');
        }
        try {
            LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(properties.toString().getBytes(StandardCharsets.ISO_8859_1)));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot configure logging", e);
        }
        return Logger.getLogger("");
    }

    /**
     * A record is written out whole as soon as it is logged (a collector reading the pipe sees it at once); closing the
     * handler leaves the stream open, since it is standard error.
     */
    private static final class FlushingStreamHandler
            extends StreamHandler
    {
        FlushingStreamHandler(OutputStream out, RedactingFormatter formatter)
        {
            super(requireNonNull(out, "out is null"), formatter);
            try {
                setEncoding("UTF-8");
            }
            catch (UnsupportedEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public synchronized void publish(LogRecord record)
        {
            super.publish(record);
            flush();
        }

        @Override
        public synchronized void close()
        {
            flush();
        }
    }
}
