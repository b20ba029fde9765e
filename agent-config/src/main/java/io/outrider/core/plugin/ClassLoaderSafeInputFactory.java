package io.outrider.core.plugin;

import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;

/** A plugin's {@link InputFactory} whose methods, and the {@link Input}s it creates, run under the plugin's class loader. */
public final class ClassLoaderSafeInputFactory<C extends Record>
        extends ClassLoaderSafeFactory<C, Input>
        implements InputFactory<C>
{
    public ClassLoaderSafeInputFactory(InputFactory<C> delegate, ClassLoader classLoader)
    {
        super(delegate, classLoader);
    }

    @Override
    Input wrap(Input component)
    {
        return component instanceof ClassLoaderSafeInput ? component : new ClassLoaderSafeInput(component, classLoader());
    }
}
