package io.outrider.core.pipeline;

import java.util.List;

/**
 * What {@code /status} serves and {@code outrider status} prints. Field names are the JSON names. {@code configFile} is
 * the configuration the agent runs (absolute; null for the built-in one), so that a command can tell whether the agent
 * answering is the one its configuration describes.
 */
public record StatusReport(
        String version,
        String host,
        boolean paused,
        String bufferState,
        long bufferBytes,
        long bufferMaxBytes,
        long bufferQuarantinedFiles,
        List<Pipeline> pipelines,
        ReloadRefusal reloadRefused,
        String configFile)
{
    /**
     * The last reload this agent refused, which left the previous configuration running (null when none did since it
     * started): the configuration file no longer is what runs, and a restart would read it as it is.
     */
    public record ReloadRefusal(String at, String reason)
    {
    }

    public record Pipeline(String id, List<Component> inputs, List<Component> outputs, long droppedEvents, long unmatchedEvents)
    {
    }

    /**
     * One input or output; counters that do not apply to its kind are 0. {@code eventsOut} counts the events the
     * collector accepted; {@code eventsSkipped} the ones the output did not send because its format cannot carry
     * them, which are not in {@code eventsOut}. {@code lastErrorAt} is when the last error last happened (ISO-8601),
     * null when there is no error. {@code problems} are the ones the component reported itself and has not cleared
     * ({@link io.outrider.spi.ComponentContext#reportProblem}), oldest first.
     */
    public record Component(
            String id,
            String type,
            String state,
            String lastError,
            String lastErrorAt,
            long eventsIn,
            long eventsOut,
            long eventsSkipped,
            long retries,
            long deadLetters,
            long backlogEvents,
            double lagSeconds,
            List<Problem> problems)
    {
        public Component
        {
            problems = List.copyOf(problems);
        }
    }

    /** A problem a component reported: its key, the latest detail (redacted), and since when (ISO-8601). */
    public record Problem(String key, String detail, String since)
    {
    }
}
