package io.outrider.core.pipeline;

/** What a running component is doing, for status and the tray icon. */
public enum ComponentState
{
    STARTING, RUNNING, RETRYING, UNAUTHORIZED, BLOCKED, FAILED, FINISHED, STOPPED;

    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
