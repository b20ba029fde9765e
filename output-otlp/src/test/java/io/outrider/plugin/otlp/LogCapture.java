package io.outrider.plugin.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Captures what components log through System.Logger (which goes to java.util.logging here), formatted. */
final class LogCapture
        extends Handler
        implements AutoCloseable
{
    private final Logger logger;
    private final Level previousLevel;
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<String> lines = new ArrayList<>();

    private LogCapture(Logger logger)
    {
        this.logger = logger;
        this.previousLevel = logger.getLevel();
        setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /** Captures the {@code outrider} logger tree. */
    static LogCapture outrider()
    {
        return new LogCapture(Logger.getLogger("outrider"));
    }

    @Override
    public synchronized void publish(LogRecord record)
    {
        String thrown = record.getThrown() == null ? "" : " " + record.getThrown();
        lines.add(record.getLevel() + " " + formatter.formatMessage(record) + thrown);
    }

    synchronized List<String> lines()
    {
        return List.copyOf(lines);
    }

    synchronized String text()
    {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {}

    @Override
    public void close()
    {
        logger.removeHandler(this);
        logger.setLevel(previousLevel);
    }
}
