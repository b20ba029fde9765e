package io.outrider.plugin.winevent;

import com.sun.jna.platform.win32.WinError;

/**
 * Names and classes of the Win32 error codes the live input reacts to.
 *
 * <p>The codes come from JNA's {@link WinError}. They are compile-time constants, so javac copies their values into
 * this class: referencing them neither initialises {@code WinError} (whose static initialiser builds native
 * HRESULTs) nor loads any Windows library, and this class works on every OS.
 */
public final class EventLogErrors
{
    private EventLogErrors() {}

    /** The bookmarked position no longer exists: the log was cleared, rolled over or restored from a backup. */
    public static boolean isPositionLost(int code)
    {
        return code == WinError.ERROR_NOT_FOUND
                || code == WinError.ERROR_EVT_QUERY_RESULT_STALE
                || code == WinError.ERROR_EVT_QUERY_RESULT_INVALID_POSITION;
    }

    /** The channel does not exist or this account may not read it: an error for that channel only. */
    public static boolean isChannelUnavailable(int code)
    {
        return code == WinError.ERROR_EVT_CHANNEL_NOT_FOUND
                || code == WinError.ERROR_EVT_INVALID_CHANNEL_PATH
                || code == WinError.ERROR_ACCESS_DENIED;
    }

    /** The query was rejected: a configuration error for that channel. */
    public static boolean isInvalidQuery(int code)
    {
        return code == WinError.ERROR_EVT_INVALID_QUERY;
    }

    /** The bookmark XML itself was rejected ({@code EvtCreateBookmark}). */
    public static boolean isInvalidBookmark(int code)
    {
        return code == WinError.ERROR_INVALID_PARAMETER;
    }

    /** A readable name for a code, e.g. {@code ERROR_EVT_CHANNEL_NOT_FOUND (15007): the channel does not exist}. */
    public static String describe(int code)
    {
        String text = switch (code) {
            case WinError.ERROR_ACCESS_DENIED -> "ERROR_ACCESS_DENIED: this account may not read the channel (the Security channel needs an administrator or a member of Event Log Readers)";
            case WinError.ERROR_INVALID_HANDLE -> "ERROR_INVALID_HANDLE";
            case WinError.ERROR_INVALID_PARAMETER -> "ERROR_INVALID_PARAMETER";
            case WinError.ERROR_NO_MORE_ITEMS -> "ERROR_NO_MORE_ITEMS";
            case WinError.ERROR_NOT_FOUND -> "ERROR_NOT_FOUND: the bookmarked record no longer exists";
            case WinError.ERROR_TIMEOUT -> "ERROR_TIMEOUT";
            case WinError.RPC_S_SERVER_UNAVAILABLE -> "RPC_S_SERVER_UNAVAILABLE: the event log service is not available";
            case WinError.RPC_S_CALL_FAILED -> "RPC_S_CALL_FAILED: the call to the event log service failed";
            case WinError.RPC_S_CALL_FAILED_DNE -> "RPC_S_CALL_FAILED_DNE: the call to the event log service failed";
            case WinError.EPT_S_NOT_REGISTERED -> "EPT_S_NOT_REGISTERED: the event log service is not available";
            case WinError.RPC_S_CALL_CANCELLED -> "RPC_S_CALL_CANCELLED";
            case WinError.ERROR_EVT_INVALID_CHANNEL_PATH -> "ERROR_EVT_INVALID_CHANNEL_PATH: the channel name is not valid";
            case WinError.ERROR_EVT_INVALID_QUERY -> "ERROR_EVT_INVALID_QUERY: the query is not valid";
            case WinError.ERROR_EVT_CHANNEL_NOT_FOUND -> "ERROR_EVT_CHANNEL_NOT_FOUND: the channel does not exist";
            case WinError.ERROR_EVT_QUERY_RESULT_STALE -> "ERROR_EVT_QUERY_RESULT_STALE: the log was cleared or rolled over";
            case WinError.ERROR_EVT_QUERY_RESULT_INVALID_POSITION -> "ERROR_EVT_QUERY_RESULT_INVALID_POSITION: the read position no longer exists";
            default -> "Win32 error";
        };
        if (text.startsWith("Win32 error")) {
            return "Win32 error " + code;
        }
        int colon = text.indexOf(':');
        return colon < 0 ? text + " (" + code + ")" : text.substring(0, colon) + " (" + code + ")" + text.substring(colon);
    }
}
