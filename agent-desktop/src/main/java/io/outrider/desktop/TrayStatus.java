package io.outrider.desktop;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What the tray shows for one answer of the agent's {@code /status} (or for no answer): the icon's state, the
 * status line of the menu, the tooltip, and whether the inputs are paused.
 *
 * @param statusLine the first, informational item of the menu, e.g. "Connected to collector.example — 0 buffered"
 * @param tooltip the icon's tooltip; for {@link TrayState#ERROR} it carries the error
 */
public record TrayStatus(TrayState state, String statusLine, String tooltip, boolean paused)
{
    private static final Set<String> ERROR_STATES = Set.of("failed", "unauthorized");
    private static final Set<String> BUFFERING_STATES = Set.of("retrying", "blocked");
    private static final int MAX_LINE = 100;

    public TrayStatus
    {
        requireNonNull(state, "state is null");
        requireNonNull(statusLine, "statusLine is null");
        requireNonNull(tooltip, "tooltip is null");
    }

    /** No agent answered at {@code statusUrl}. */
    public static TrayStatus notRunning(String statusUrl)
    {
        return new TrayStatus(TrayState.NOT_RUNNING, "Agent not running", "Outrider: agent not running (no answer at " + statusUrl + ")", false);
    }

    /** The status endpoint is off in the configuration, so the tray cannot know. */
    public static TrayStatus statusDisabled()
    {
        return new TrayStatus(TrayState.NOT_RUNNING, "Status endpoint off (agent.status.enabled: false)",
                "Outrider: set agent.status.enabled: true in the configuration so the tray can follow the agent", false);
    }

    /**
     * Reads a {@code /status} answer.
     *
     * @param collector the host of the collector events go to (the server URL's host), if the configuration has one
     */
    public static TrayStatus from(JsonNode status, Optional<String> collector)
    {
        boolean paused = status.path("paused").asBoolean(false);
        long buffered = 0;
        String error = null;
        String retrying = null;
        for (JsonNode pipeline : status.path("pipelines")) {
            for (JsonNode output : pipeline.path("outputs")) {
                buffered += output.path("backlog_events").asLong(0);
            }
            for (String kind : List.of("inputs", "outputs")) {
                for (JsonNode component : pipeline.path(kind)) {
                    String state = component.path("state").asText("");
                    String described = component.path("id").asText() + " " + state + lastError(component);
                    if (error == null && ERROR_STATES.contains(state)) {
                        error = described;
                    }
                    if (retrying == null && BUFFERING_STATES.contains(state)) {
                        retrying = described;
                    }
                }
            }
        }
        String bufferState = status.path("buffer_state").asText("ok");
        if (error == null && bufferState.equals("disk_full")) {
            error = "the disk holding the buffer is full";
        }
        String suffix = " — " + buffered + " buffered";
        if (error != null) {
            return new TrayStatus(TrayState.ERROR, shorten("Error: " + error), shorten("Outrider error: " + error), paused);
        }
        if (retrying != null) {
            return new TrayStatus(TrayState.BUFFERING, "Collector unreachable, retrying" + suffix, shorten("Outrider buffering: " + retrying), paused);
        }
        if (bufferState.equals("back_pressure")) {
            return new TrayStatus(TrayState.BUFFERING, "Buffer full, inputs wait" + suffix, "Outrider buffering: the buffer reached its size cap", paused);
        }
        if (paused) {
            return new TrayStatus(TrayState.BUFFERING, "Paused" + suffix, "Outrider: inputs paused; choose Resume to continue", true);
        }
        if (collector.isEmpty()) {
            // no collector in the configuration (console, syslog, ...): output ids would mean nothing to the user
            return new TrayStatus(TrayState.CONNECTED, "Running" + suffix, "Outrider: running" + suffix, false);
        }
        return new TrayStatus(TrayState.CONNECTED, shorten("Connected to " + collector.get() + suffix), shorten("Outrider: shipping to " + collector.get() + suffix), false);
    }

    private static String lastError(JsonNode component)
    {
        String error = component.path("last_error").asText("");
        return error.isEmpty() ? "" : ": " + error;
    }

    private static String shorten(String text)
    {
        return text.length() <= MAX_LINE ? text : text.substring(0, MAX_LINE - 1) + "…";
    }
}
