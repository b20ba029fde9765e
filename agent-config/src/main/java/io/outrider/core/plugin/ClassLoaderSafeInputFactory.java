package io.outrider.core.plugin;

import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;

import static io.outrider.config.ThreadContextLoader.enter;
import static io.outrider.config.ThreadContextLoader.exit;

/** A plugin's {@link InputFactory} whose methods, and the {@link Input}s it creates, run under the plugin's class loader. */
public final class ClassLoaderSafeInputFactory<C extends Record>
        extends ClassLoaderSafeFactory<C, Input>
        implements InputFactory<C>
{
    private final InputFactory<C> inputFactory;

    public ClassLoaderSafeInputFactory(InputFactory<C> delegate, ClassLoader classLoader)
    {
        super(delegate, classLoader);
        this.inputFactory = delegate;
    }

    @Override
    public boolean worksInRounds()
    {
        ClassLoader previous = enter(classLoader());
        try {
            return inputFactory.worksInRounds();
        }
        finally {
            exit(previous, classLoader());
        }
    }

    @Override
    Input wrap(Input component)
    {
        return component instanceof ClassLoaderSafeInput ? component : new ClassLoaderSafeInput(component, classLoader());
    }
}
