package io.outrider.plugin.winevent;

/** A Windows Event Log call failed with a Win32 error code ({@link EventLogErrors} names and classifies it). */
public final class EventLogException
        extends Exception
{
    private final int errorCode;

    /**
     * @param operation the call that failed, e.g. {@code EvtSubscribe}
     * @param errorCode the Win32 error code ({@code GetLastError})
     * @param detail what Windows said about it, or empty
     */
    public EventLogException(String operation, int errorCode, String detail)
    {
        super(operation + " failed: " + EventLogErrors.describe(errorCode) + (detail == null || detail.isBlank() ? "" : " (" + detail.strip() + ")"));
        this.errorCode = errorCode;
    }

    public int errorCode()
    {
        return errorCode;
    }
}
