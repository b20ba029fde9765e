package io.outrider.spi;

/**
 * Creates {@link Parser}s of one type. Registered through {@link Plugin#parserFactories()}.
 *
 * @param <C> the configuration record
 * @see ComponentFactory
 */
@Stable
public interface ParserFactory<C extends Record>
        extends ComponentFactory<C, Parser>
{
}
