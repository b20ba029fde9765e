package io.outrider.core.metrics;

/**
 * What {@code /control/*} can ask of the running agent. Each method returns one sentence for the caller and throws
 * with one sentence when it cannot do it.
 */
public interface AgentControl
{
    /** Stops reading inputs without losing anything; outputs keep delivering. */
    String pause()
            throws Exception;

    /** Reads inputs again from their committed positions. */
    String resume()
            throws Exception;

    /**
     * Re-reads and validates the configuration file; applies it only when valid (draining the old pipelines). A
     * refusal is logged here, once, whoever asked (the control endpoint, SIGHUP), and thrown as an
     * {@link IllegalStateException} whose message is the answer.
     */
    String reload()
            throws Exception;
}
