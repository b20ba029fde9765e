package io.outrider.plugin.sshd;

import io.outrider.spi.ComponentMetrics;

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
    private final int capacity;
    private final LinkedHashMap<Key, Session> sessions;
    private final ComponentMetrics.Counter evictions;
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

    /** Sessions remembered now; safe to read from any thread. */
    int size()
    {
        return size;
    }

    /** One sshd process of one host. */
    record Key(String host, long pid) {}

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
    }
}
