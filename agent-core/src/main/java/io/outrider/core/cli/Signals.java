package io.outrider.core.cli;

import java.util.function.Consumer;

/**
 * SIGTERM and SIGINT handling through {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK and
 * jlink image that includes it). Where it is missing, the JVM's default handling and the shutdown hook still stop
 * the agent; only the exit code differs.
 */
final class Signals
{
    private static final System.Logger LOG = System.getLogger(Signals.class.getName());

    private Signals() {}

    /**
     * SIGHUP: reload the configuration (the convention of every daemon).
     *
     * @return whether the handler is installed; it is not where the JVM cannot offer the signal, or where the process
     *         was started with SIGHUP ignored ({@code nohup}), which the JVM respects by leaving it ignored
     */
    static boolean onHangup(Runnable handler)
    {
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> handler.run());
            // the JVM does not install a handler for a shutdown signal that was ignored at launch, and says so only this way
            return previous != sun.misc.SignalHandler.SIG_IGN;
        }
        catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot handle SIGHUP (" + e + ")");
            return false;
        }
    }

    static void onTermination(Consumer<String> handler)
    {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> handler.accept(signal.getName()));
            }
            catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot handle SIG" + name + " (" + e + "); the shutdown hook stops the agent");
            }
        }
    }
}
