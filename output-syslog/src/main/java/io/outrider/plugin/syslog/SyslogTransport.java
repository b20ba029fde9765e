package io.outrider.plugin.syslog;

/** Carries encoded messages to the server. Used by one thread at a time (the output's delivery thread). */
interface SyslogTransport
        extends AutoCloseable
{
    /**
     * Sends the messages, in order. Returns once every message was handed over: written and flushed to a
     * connection that was open (TCP, TLS), or passed to the network stack (UDP).
     *
     * @throws SendFailure if not every message was handed over; some may have been (the batch is sent again)
     * @throws InterruptedException if the thread was interrupted; the connection is closed
     */
    void send(EncodedMessages messages)
            throws SendFailure, InterruptedException;

    /** Whether a connection is open now (always true for UDP). */
    boolean connected();

    @Override
    void close();
}
