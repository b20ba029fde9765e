package io.outrider.desktop;

import java.awt.Color;

/** What the tray icon shows, one colour each. */
public enum TrayState
{
    /** The agent answers and its outputs deliver. */
    CONNECTED(new Color(0x2E, 0xA0, 0x43)),
    /** The agent keeps events in its buffer: a collector is unreachable (retrying), back-pressure, or paused inputs. */
    BUFFERING(new Color(0xE3, 0xB3, 0x41)),
    /** Something needs the user: a failed or unauthorised component, a full disk, or a problem a component reported (a failing heartbeat). */
    ERROR(new Color(0xDA, 0x36, 0x33)),
    /** No agent answers on the status endpoint. */
    NOT_RUNNING(new Color(0x8B, 0x94, 0x9E));

    private final Color color;

    TrayState(Color color)
    {
        this.color = color;
    }

    public Color color()
    {
        return color;
    }
}
