package io.outrider.core.plugin;

import io.outrider.spi.Event;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;

import static io.outrider.config.ThreadContextLoader.enter;
import static io.outrider.config.ThreadContextLoader.exit;
import static java.util.Objects.requireNonNull;

/**
 * A {@link Parser} whose methods run with its plugin's class loader as context class loader. {@link #parse} is called
 * once per event: it sets the loader only when the thread does not have it already.
 */
public final class ClassLoaderSafeParser
        implements Parser
{
    private final Parser delegate;
    private final ClassLoader classLoader;

    public ClassLoaderSafeParser(Parser delegate, ClassLoader classLoader)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    @Override
    public ParseResult parse(Event event)
    {
        ClassLoader previous = enter(classLoader);
        try {
            return delegate.parse(event);
        }
        finally {
            exit(previous, classLoader);
        }
    }

    @Override
    public void close()
    {
        ClassLoader previous = enter(classLoader);
        try {
            delegate.close();
        }
        finally {
            exit(previous, classLoader);
        }
    }

    @Override
    public String toString()
    {
        return delegate.toString();
    }
}
