package io.outrider.core.plugin;

import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Output;

import java.util.List;
import java.util.Optional;

import static io.outrider.config.ThreadContextLoader.enter;
import static io.outrider.config.ThreadContextLoader.exit;
import static java.util.Objects.requireNonNull;

/** An {@link Output} whose methods run with its plugin's class loader as context class loader. */
public final class ClassLoaderSafeOutput
        implements Output
{
    private final Output delegate;
    private final ClassLoader classLoader;

    public ClassLoaderSafeOutput(Output delegate, ClassLoader classLoader)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    @Override
    public void start()
            throws Exception
    {
        ClassLoader previous = enter(classLoader);
        try {
            delegate.start();
        }
        finally {
            exit(previous, classLoader);
        }
    }

    @Override
    public DeliveryResult deliver(List<Event> batch)
            throws InterruptedException
    {
        ClassLoader previous = enter(classLoader);
        try {
            return delegate.deliver(batch);
        }
        finally {
            exit(previous, classLoader);
        }
    }

    @Override
    public Optional<DeliveryResult> probe()
            throws InterruptedException
    {
        ClassLoader previous = enter(classLoader);
        try {
            return delegate.probe();
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
