package io.outrider.spi;

/**
 * Creates {@link Output}s of one type. Registered through {@link Plugin#outputFactories()}.
 *
 * @param <C> the configuration record
 * @see ComponentFactory
 */
@Stable
public interface OutputFactory<C extends Record>
        extends ComponentFactory<C, Output>
{
}
