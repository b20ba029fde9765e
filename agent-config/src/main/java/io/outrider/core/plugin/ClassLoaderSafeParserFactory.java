package io.outrider.core.plugin;

import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;

/** A plugin's {@link ParserFactory} whose methods, and the {@link Parser}s it creates, run under the plugin's class loader. */
public final class ClassLoaderSafeParserFactory<C extends Record>
        extends ClassLoaderSafeFactory<C, Parser>
        implements ParserFactory<C>
{
    public ClassLoaderSafeParserFactory(ParserFactory<C> delegate, ClassLoader classLoader)
    {
        super(delegate, classLoader);
    }

    @Override
    Parser wrap(Parser component)
    {
        return component instanceof ClassLoaderSafeParser ? component : new ClassLoaderSafeParser(component, classLoader());
    }
}
