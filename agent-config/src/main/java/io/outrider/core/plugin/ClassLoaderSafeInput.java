package io.outrider.core.plugin;

import io.outrider.spi.Emitter;
import io.outrider.spi.Input;

import static io.outrider.config.ThreadContextLoader.enter;
import static io.outrider.config.ThreadContextLoader.exit;
import static java.util.Objects.requireNonNull;

/** An {@link Input} whose methods run with its plugin's class loader as context class loader. */
public final class ClassLoaderSafeInput
        implements Input
{
    private final Input delegate;
    private final ClassLoader classLoader;

    public ClassLoaderSafeInput(Input delegate, ClassLoader classLoader)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    @Override
    public void run(Emitter emitter)
            throws Exception
    {
        ClassLoader previous = enter(classLoader);
        try {
            delegate.run(emitter);
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
