package io.outrider.plugin.sshd;

import io.outrider.spi.ComponentMetrics;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What earlier lines of one sshd process said (client address, port, user, login state), keyed by host and PID,
 * like fail2ban's per-PID memory: it lets {@code Disconnecting: Too many authentication failures [preauth]} or
 * {@code session closed for user bob} name the client. Bounded: the least recently used process is forgotten first;
 * a session is forgotten as soon as its connection ends. Not thread-safe (a parser is called by one thread at a time).
 */
final class SessionTable
{
    private static final int MAX_HOSTS = 1024;
    private static final int MAX_RECENT_LOGOUTS = 256;

    private final int capacity;
    private final LinkedHashMap<Key, Session> sessions;
    private final ComponentMetrics.Counter evictions;
    private final ArrayDeque<Endpoint> recentLogouts = new ArrayDeque<>();
    private String lastHostWithSshdLines;
    private final Map<String, Boolean> hostsWithSshdLines = new LinkedHashMap<>(16, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest)
        {
            return size() > MAX_HOSTS;
        }
    };
    private volatile int size;

    SessionTable(int capacity, ComponentMetrics.Counter evictions)
    {
        this.capacity = capacity;
        this.evictions = requireNonNull(evictions, "evictions is null");
        this.sessions = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, true)
        {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Session> eldest)
            {
                if (size() > SessionTable.this.capacity) {
                    evictions.increment();
                    return true;
                }
                return false;
            }
        };
    }

    /** The session of a process, or {@code null}. */
    Session get(Key key)
    {
        return key == null || capacity == 0 ? null : sessions.get(key);
    }

    /** A new, empty session for the process, replacing any earlier one (a new connection reusing a PID). */
    Session create(Key key)
    {
        Session session = new Session();
        if (key != null && capacity > 0) {
            sessions.put(key, session);
            size = sessions.size();
        }
        return session;
    }

    void remove(Key key)
    {
        if (key != null && capacity > 0) {
            sessions.remove(key);
            size = sessions.size();
        }
    }

    /**
     * Notes a logout that a process other than the one that logged the user in wrote: since privilege separation the
     * user's own sshd process writes {@code Disconnected from user U A port P}, and the logging-in process writes PAM's
     * {@code session closed} after it, which must not count a second logout ({@link #loggedOutElsewhere}). Only the
     * last {@link #MAX_RECENT_LOGOUTS} are kept: the two lines come within moments of each other.
     */
    void loggedOutElsewhere(Key key, String ip, int port)
    {
        if (key == null || ip == null || port == SshdLine.NO_PORT) {
            return;
        }
        if (recentLogouts.size() == MAX_RECENT_LOGOUTS) {
            recentLogouts.removeFirst();
        }
        recentLogouts.addLast(new Endpoint(key.host(), ip, port));
    }

    /** Whether another process reported the logout of this logged-in session (and forgets it: one close per logout). */
    boolean loggedOutElsewhere(Key key, Session session)
    {
        return key != null && session.ip != null && session.port != SshdLine.NO_PORT
                && recentLogouts.removeFirstOccurrence(new Endpoint(key.host(), session.ip, session.port));
    }

    /**
     * Remembers that sshd's own lines of the host reach this parser, so that its PAM modules' lines repeat what sshd
     * reported. Bounded like the sessions: a forgotten host counts PAM's lines again until sshd's next line.
     */
    void sshdLogsTo(Key key)
    {
        // nearly every line is of the host of the line before: no map work for it
        if (key != null && !key.host().equals(lastHostWithSshdLines)) {
            hostsWithSshdLines.put(key.host(), Boolean.TRUE);
            lastHostWithSshdLines = key.host();
        }
    }

    /** Whether sshd's own lines of the process's host were seen (see {@link #sshdLogsTo}). */
    boolean sshdLogs(Key key)
    {
        return key != null && hostsWithSshdLines.containsKey(key.host());
    }

    /** Sessions remembered now; safe to read from any thread. */
    int size()
    {
        return size;
    }

    /** One sshd process of one host. */
    record Key(String host, long pid) {}

    /** One client connection of one host: its address and port. */
    record Endpoint(String host, String ip, int port) {}

    /** What is known about the connection an sshd process serves. */
    static final class Session
    {
        String ip;
        String domain;
        int port = SshdLine.NO_PORT;
        String user;
        Boolean invalidUser;
        boolean loggedIn;
        boolean loggedOut;
        String pendingProbe;
        /** Password and keyboard-interactive failures reported for the connection, which PAM's summary counts too. */
        long passwordFailures;
        /** Failures PAM's modules counted for the connection: their first report, then their summary. */
        long pamFailures;
        /** sshd's {@code PAM: Authentication failure} lines whose {@code Failed keyboard-interactive/pam} has not come. */
        long pamErrorsAwaitingFailedLine;
    }
}
