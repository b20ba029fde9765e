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
    /**
     * Whether the inputs of this type work in rounds (a full scan, a poll) and end each round with an event that
     * carries {@link Fields#OUTRIDER_ROUND_COMPLETE} as that field's Javadoc describes. {@code outrider run-once}
     * runs, by default, every configured input whose factory says so, and refuses to run one whose factory does not.
     * An input of such a type may still turn its round-complete events off through its own options; run-once then
     * waits until its timeout.
     *
     * <p>Called by the agent's main thread with the plugin's class loader as context class loader; must be cheap and
     * always give the same answer.
     *
     * @return {@code false} by default: inputs that read a stream (a log file, the journal) have no rounds
     * @since SPI 1.4
     */
    @Experimental
    default boolean worksInRounds()
    {
        return false;
    }
}
