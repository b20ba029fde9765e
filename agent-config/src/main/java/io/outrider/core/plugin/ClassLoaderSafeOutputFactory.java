package io.outrider.core.plugin;

import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;

/** A plugin's {@link OutputFactory} whose methods, and the {@link Output}s it creates, run under the plugin's class loader. */
public final class ClassLoaderSafeOutputFactory<C extends Record>
        extends ClassLoaderSafeFactory<C, Output>
        implements OutputFactory<C>
{
    public ClassLoaderSafeOutputFactory(OutputFactory<C> delegate, ClassLoader classLoader)
    {
        super(delegate, classLoader);
    }

    @Override
    Output wrap(Output component)
    {
        return component instanceof ClassLoaderSafeOutput ? component : new ClassLoaderSafeOutput(component, classLoader());
    }
}
