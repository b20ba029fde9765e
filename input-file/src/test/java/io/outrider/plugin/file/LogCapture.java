package io.outrider.plugin.file;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures what one component logs through System.Logger (which goes to java.util.logging here) as
 * {@code LEVEL message} lines; the logger is named after the component, so tests capturing different components do
 * not see each other's lines.
 */
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

    /** Captures the logger of the component {@code componentId} of the pipeline {@code test}. */
    static LogCapture component(String componentId)
    {
        return new LogCapture(Logger.getLogger("outrider.test." + componentId));
    }

    @Override
    public synchronized void publish(LogRecord record)
    {
        lines.add(record.getLevel() + " " + formatter.formatMessage(record));
    }

    synchronized List<String> lines()
    {
        return List.copyOf(lines);
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
