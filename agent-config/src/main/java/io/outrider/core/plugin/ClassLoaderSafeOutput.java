package io.outrider.core.plugin;

import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Output;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

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

    /**
     * Calls the plugin's {@code deliverAsync} with its loader; the stage completes on whatever thread the plugin
     * completes it.
     */
    @Override
    public CompletionStage<DeliveryResult> deliverAsync(List<Event> batch)
            throws InterruptedException
    {
        ClassLoader previous = enter(classLoader);
        try {
            return delegate.deliverAsync(batch);
        }
        finally {
            exit(previous, classLoader);
        }
    }

    /**
     * Whether the plugin's output overrides {@link Output#deliverAsync} (this wrapper always does): only such outputs
     * gain from having several batches in flight.
     */
    public boolean deliversAsync()
    {
        return overridesDeliverAsync(delegate);
    }

    /** Whether {@code output}'s class overrides {@link Output#deliverAsync} rather than inheriting the default. */
    public static boolean overridesDeliverAsync(Output output)
    {
        if (output instanceof ClassLoaderSafeOutput safe) {
            return safe.deliversAsync();
        }
        try {
            return output.getClass().getMethod("deliverAsync", List.class).getDeclaringClass() != Output.class;
        }
        catch (NoSuchMethodException e) {
            return false;
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
