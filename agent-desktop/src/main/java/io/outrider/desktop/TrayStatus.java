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
 * @param tooltip the icon's tooltip: what the state means in a few words; the error itself is in the status line
 */
public record TrayStatus(TrayState state, String statusLine, String tooltip, boolean paused)
{
    private static final Set<String> ERROR_STATES = Set.of("failed", "unauthorized");
    private static final Set<String> BUFFERING_STATES = Set.of("retrying", "blocked");
    private static final int MAX_LINE = 100;
    // a tray icon's tooltip on X11 shows no more (measured: tint2 under Xvfb cut the tooltip after 64 characters);
    // Windows shows 127
    static final int MAX_TOOLTIP = 64;

    public TrayStatus
    {
        requireNonNull(state, "state is null");
        requireNonNull(statusLine, "statusLine is null");
        requireNonNull(tooltip, "tooltip is null");
    }

    /** No agent answered at {@code statusUrl}. */
    public static TrayStatus notRunning(String statusUrl)
    {
        return new TrayStatus(TrayState.NOT_RUNNING, shorten("Agent not running (no answer at " + statusUrl + ")", MAX_LINE), "Outrider: agent not running", false);
    }

    /** The status endpoint is off in the configuration, so the tray cannot know. */
    public static TrayStatus statusDisabled()
    {
        return new TrayStatus(TrayState.NOT_RUNNING, "Status endpoint off (agent.status.enabled: false)",
                "Outrider: status endpoint off, the tray cannot follow", false);
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
        String errorInShort = null;
        String retrying = null;
        for (JsonNode pipeline : status.path("pipelines")) {
            for (JsonNode output : pipeline.path("outputs")) {
                buffered += output.path("backlog_events").asLong(0);
            }
            for (String kind : List.of("inputs", "outputs")) {
                for (JsonNode component : pipeline.path(kind)) {
                    String state = component.path("state").asText("");
                    String id = component.path("id").asText();
                    String lastError = component.path("last_error").asText("");
                    if (error == null && ERROR_STATES.contains(state)) {
                        error = id + " " + state + (lastError.isEmpty() ? "" : ": " + lastError);
                        errorInShort = state.equals("unauthorized") ? "the collector refused the API key" : id + " failed, see View Logs";
                    }
                    if (retrying == null && BUFFERING_STATES.contains(state)) {
                        retrying = lastError.isEmpty() ? id + " " + state : lastError;
                    }
                }
            }
        }
        String bufferState = status.path("buffer_state").asText("ok");
        if (error == null && bufferState.equals("disk_full")) {
            error = "the disk holding the buffer is full";
            errorInShort = "the buffer's disk is full";
        }
        if (error == null) {
            // a problem a component reported itself, such as a failing heartbeat: events may flow, the user still has to act
            for (JsonNode pipeline : status.path("pipelines")) {
                for (String kind : List.of("inputs", "outputs")) {
                    for (JsonNode component : pipeline.path(kind)) {
                        JsonNode problem = component.path("problems").path(0);
                        if (error == null && !problem.isMissingNode()) {
                            String id = component.path("id").asText();
                            error = id + ": " + problem.path("detail").asText();
                            errorInShort = id + ": " + problem.path("key").asText() + " problem, see View Logs";
                        }
                    }
                }
            }
        }
        String suffix = " — " + buffered + " buffered";
        if (error != null) {
            return new TrayStatus(TrayState.ERROR, shorten("Error: " + error, MAX_LINE), tooltip("Outrider error: " + errorInShort), paused);
        }
        if (retrying != null) {
            return new TrayStatus(TrayState.BUFFERING, "Collector unreachable, retrying" + suffix, tooltip("Outrider buffering: " + retrying), paused);
        }
        if (bufferState.equals("back_pressure")) {
            return new TrayStatus(TrayState.BUFFERING, "Buffer full, inputs wait" + suffix, tooltip("Outrider: buffer full, inputs wait" + suffix), paused);
        }
        if (paused) {
            return new TrayStatus(TrayState.BUFFERING, "Paused" + suffix, "Outrider: inputs paused; choose Resume to continue", true);
        }
        if (collector.isEmpty()) {
            // no collector in the configuration (console, syslog, ...): output ids would mean nothing to the user
            return new TrayStatus(TrayState.CONNECTED, "Running" + suffix, tooltip("Outrider: running" + suffix), false);
        }
        return new TrayStatus(TrayState.CONNECTED, shorten("Connected to " + collector.get() + suffix, MAX_LINE), tooltip("Outrider: shipping to " + collector.get() + suffix), false);
    }

    private static String tooltip(String text)
    {
        return shorten(text, MAX_TOOLTIP);
    }

    private static String shorten(String text, int max)
    {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
