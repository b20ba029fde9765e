package io.outrider.spi;

/**
 * Creates {@link Input}s of one type. Registered through {@link Plugin#inputFactories()}.
 *
 * @param <C> the configuration record
 * @see ComponentFactory
 */
@Stable
public interface InputFactory<C extends Record>
        extends ComponentFactory<C, Input>
{
}
