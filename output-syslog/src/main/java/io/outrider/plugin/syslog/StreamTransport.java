package io.outrider.plugin.syslog;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * A TCP (RFC 6587) or TLS (RFC 5425) connection to the server, opened on demand and kept.
 *
 * <p>Before every batch the connection is checked for a close by the server (a non-blocking read that sees the
 * server's FIN or reset): a server that restarted while the connection sat idle would otherwise accept nothing of
 * what the kernel happily buffers for the dead connection, and that batch would be lost although reported as
 * written. A closed connection is replaced at once; after a failed attempt the next one waits, from
 * {@code reconnect_backoff} doubling up to {@code max_reconnect_backoff}. A watchdog closes the connection when a
 * batch takes longer than {@code send_timeout} to write (a server that stopped reading).
 *
 * <p>With TLS 1.3 a server checks the client's certificate only after the client considers the handshake done, and
 * refuses it by closing the connection: whatever was written first would be lost. So after each TLS handshake the
 * transport waits up to 250 milliseconds (once per connection, not per batch) for such a close.
 *
 * <p>A server that cannot read what it is sent (a TLS port given {@code transport: tcp}, a server that refuses this
 * agent's address) closes the connection as soon as the first bytes arrive, and with nothing more than that every
 * batch would be written into a connection nobody reads, and counted as delivered. So the first batch on each
 * connection is confirmed: the transport waits up to the same 250 milliseconds for a close after writing it, and a
 * close fails the batch (it stays buffered and is sent again) with what to check. Once per connection, not per
 * batch; a server that closed a connection after reading the batch gets it twice.
 *
 * <p>Residual risk, inherent in syslog over TCP (which has no acknowledgements): messages that reached the
 * server's socket buffer but that the server had not read when it went down are lost. RELP exists for that.
 */
final class StreamTransport
        implements SyslogTransport
{
    private static final int WRITE_BUFFER_BYTES = 64 * 1024;
    private static final Duration TLS_SETTLE_TIME = Duration.ofMillis(250);

    private final String host;
    private final int port;
    private final String endpoint;
    private final Framing framing;
    private final Duration connectTimeout;
    private final Duration sendTimeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final SSLSocketFactory tlsSocketFactory;
    private final SSLParameters tlsParameters;
    private final ScheduledExecutorService watchdog;
    private final LongSupplier nanoTime;
    private final System.Logger logger;
    private final Runnable onConnect;

    private SocketChannel channel;
    private Socket socket;
    /** The socket's own stream, unbuffered: {@link #frames} is the buffer. */
    private OutputStream out;
    /** Where frames are assembled; made on the first send and kept. */
    private byte[] frames;
    private Duration backoff;
    private long nextAttemptNanos;
    private String lastFailure;
    /** Whether the server kept the connection open after its first batch (see the class comment). */
    private boolean firstBatchConfirmed;
    /** Whether any connection of this transport had its first batch read: a server that took messages before is no wrong port. */
    private boolean serverTookMessagesBefore;

    /**
     * @param tlsSocketFactory null for plain TCP
     * @param tlsParameters protocols and SNI of each TLS connection (the socket factory's trust manager verifies the
     *        server's name); null for plain TCP
     * @param watchdog runs the send timeouts; owned by the caller
     * @param onConnect called after every successful connection (metrics)
     */
    StreamTransport(String host, int port, Framing framing, Duration connectTimeout, Duration sendTimeout, Duration initialBackoff, Duration maxBackoff,
            SSLSocketFactory tlsSocketFactory, SSLParameters tlsParameters, ScheduledExecutorService watchdog, LongSupplier nanoTime,
            System.Logger logger, Runnable onConnect)
    {
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.endpoint = endpoint(host, port);
        this.framing = requireNonNull(framing, "framing is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.sendTimeout = requireNonNull(sendTimeout, "sendTimeout is null");
        this.initialBackoff = requireNonNull(initialBackoff, "initialBackoff is null");
        this.maxBackoff = requireNonNull(maxBackoff, "maxBackoff is null");
        this.tlsSocketFactory = tlsSocketFactory;
        this.tlsParameters = tlsParameters;
        this.watchdog = requireNonNull(watchdog, "watchdog is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.logger = requireNonNull(logger, "logger is null");
        this.onConnect = requireNonNull(onConnect, "onConnect is null");
        this.backoff = initialBackoff;
    }

    @Override
    public void send(EncodedMessages messages)
            throws SendFailure, InterruptedException
    {
        if (channel != null && peerClosed()) {
            logger.log(System.Logger.Level.INFO, "the connection to {0} was closed by the server; reconnecting", endpoint);
            disconnect();
        }
        if (channel == null) {
            connect();
        }
        SocketChannel sending = channel;
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timeout = watchdog.schedule(() -> {
            timedOut.set(true);
            closeQuietly(sending);
        }, sendTimeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            writeFramed(messages);
            if (!firstBatchConfirmed) {
                confirmFirstBatch();
            }
        }
        catch (ClosedByInterruptException e) {
            disconnect();
            throw new InterruptedException("interrupted while sending to " + endpoint);
        }
        catch (IOException e) {
            disconnect();
            if (timedOut.get()) {
                throw new SendFailure("sending to " + endpoint + " timed out after " + describe(sendTimeout) + " (the server is not reading)", false, null, e);
            }
            throw new SendFailure("sending to " + endpoint + " failed: " + describe(e), false, null, e);
        }
        finally {
            timeout.cancel(false);
        }
        if (timedOut.get()) {
            // the watchdog fired just as the last write completed: the bytes were written, but the connection is gone
            disconnect();
        }
    }

    /**
     * Frames the messages into a buffer of this transport's own and writes it to the socket whenever it is full:
     * the socket sees writes of {@link #WRITE_BUFFER_BYTES} whatever the messages' sizes, and a message larger than
     * the buffer is written from the batch directly.
     */
    private void writeFramed(EncodedMessages messages)
            throws IOException
    {
        if (frames == null) {
            frames = new byte[WRITE_BUFFER_BYTES];
        }
        byte[] frames = this.frames;
        byte[] source = messages.buffer();
        int at = 0;
        for (int i = 0; i < messages.count(); i++) {
            int start = messages.start(i);
            int length = messages.length(i);
            if (length + Framing.MAX_OVERHEAD > frames.length - at && at > 0) {
                out.write(frames, 0, at);
                at = 0;
            }
            at = framing.writeHeader(length, frames, at);
            if (length + Framing.MAX_OVERHEAD > frames.length) {
                out.write(frames, 0, at);
                out.write(source, start, length);
                at = 0;
            }
            else {
                System.arraycopy(source, start, frames, at, length);
                at += length;
            }
            at = framing.writeTrailer(frames, at);
        }
        if (at > 0) {
            out.write(frames, 0, at);
        }
        out.flush();
    }

    /**
     * Opens the connection (with TLS, the handshake and the wait for a refusal of this agent's certificate) and sends
     * nothing: {@code outrider test output}'s check, which the server stores nothing of.
     *
     * @throws SendFailure as {@link #send} would for the connection
     */
    void connectOnly()
            throws SendFailure, InterruptedException
    {
        if (channel == null) {
            connect();
        }
    }

    @Override
    public boolean connected()
    {
        return channel != null;
    }

    @Override
    public void close()
    {
        if (socket instanceof SSLSocket && channel != null) {
            // a graceful TLS close (close_notify) unless the server stopped reading, which the watchdog cuts short
            SocketChannel closing = channel;
            ScheduledFuture<?> timeout = watchdog.schedule(() -> closeQuietly(closing), 1, TimeUnit.SECONDS);
            try {
                socket.close();
            }
            catch (IOException ignored) {
                // the raw channel is closed below
            }
            finally {
                timeout.cancel(false);
            }
        }
        disconnect();
    }

    private void connect()
            throws SendFailure, InterruptedException
    {
        long now = nanoTime.getAsLong();
        // System.nanoTime may be negative: only a recorded failure sets a time to wait for
        if (lastFailure != null && now - nextAttemptNanos < 0) {
            Duration wait = Duration.ofNanos(nextAttemptNanos - now);
            throw new SendFailure("not connected to " + endpoint + " (" + lastFailure + "); next attempt in " + describe(wait), false, wait, null);
        }
        SocketChannel opened = null;
        boolean handshaking = false;
        try {
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new java.net.UnknownHostException("cannot resolve " + host);
            }
            opened = SocketChannel.open();
            Socket plain = opened.socket();
            plain.setKeepAlive(true);
            plain.connect(address, timeoutMillis(connectTimeout));
            Socket connected = plain;
            String protocol = "tcp";
            if (tlsSocketFactory != null) {
                handshaking = true;
                // the host given here is the one the trust manager verifies when no tls.server_name is set
                SSLSocket tls = (SSLSocket) tlsSocketFactory.createSocket(plain, host, port, true);
                tls.setSSLParameters(tlsParameters);
                tls.setSoTimeout(timeoutMillis(connectTimeout));
                tls.startHandshake();
                tls.setSoTimeout(0);
                if (closedSoon(opened)) {
                    throw new SSLHandshakeException("the server closed the connection right after the handshake; it may require a client certificate "
                            + "(tls.crt_file) signed by a certificate authority it trusts");
                }
                connected = tls;
                protocol = tls.getSession().getProtocol();
            }
            channel = opened;
            socket = connected;
            out = connected.getOutputStream();
            firstBatchConfirmed = false;
            onConnect.run();
            logger.log(System.Logger.Level.INFO, "connected to {0} ({1})", endpoint, protocol);
        }
        catch (ClosedByInterruptException e) {
            closeQuietly(opened);
            throw new InterruptedException("interrupted while connecting to " + endpoint);
        }
        catch (IOException e) {
            closeQuietly(opened);
            boolean certificateRefused = serverRefusedOurCertificate(e);
            // this agent refused the server's certificate: nothing the collector did, and what to set is ours
            String hint = rejectedServerCertificate(e) ? "; check tls.ca_file, tls.server_name and the server's certificate" : "";
            String reason = (e instanceof SSLException ? "TLS handshake failed: " : "") + describe(e) + hint;
            if (handshaking && e instanceof java.net.SocketTimeoutException) {
                // a plain syslog port waits for messages and never answers the TLS hello
                reason = "TLS handshake failed: the server answered nothing within connect_timeout (" + describe(connectTimeout) + "); is port " + port
                        + " a TLS port (else use transport: tcp)?";
            }
            Duration waited = failed(reason);
            logger.log(System.Logger.Level.WARNING, "cannot connect to {0}: {1}; next attempt in {2}", endpoint, reason, describe(waited));
            // the delivery loop retries when this transport will try again: its own backoff would add to this one
            throw new SendFailure("cannot connect to " + endpoint + ": " + reason, certificateRefused, waited, e);
        }
    }

    /**
     * Waits for the server to close the connection right after the first batch written on it, which it then did not
     * read: the batch fails, and the next connection waits out the backoff.
     */
    private void confirmFirstBatch()
            throws IOException, SendFailure
    {
        if (!closedSoon(channel)) {
            firstBatchConfirmed = true;
            serverTookMessagesBefore = true;
            // only a connection the server reads ends the backoff: one it drops at once is no recovery
            backoff = initialBackoff;
            lastFailure = null;
            return;
        }
        disconnect();
        String reason = "the server closed a new connection right after the first messages sent on it, so it did not take them; "
                + (serverTookMessagesBefore
                        // a walkthrough's rsyslog was killed mid-stream: the wrong-port question misled after 50,000 messages went through
                        ? "it took messages on earlier connections: is it stopping or restarting?"
                        : tlsSocketFactory == null
                                ? "is port " + port + " a TLS port (then use transport: tls), or does the server refuse this agent's address?"
                                : "does the server expect another protocol on port " + port + ", or refuse this agent's address or certificate?");
        Duration waited = failed(reason);
        logger.log(System.Logger.Level.WARNING, "{0}: {1}; the messages stay buffered; next attempt in {2}", endpoint, reason, describe(waited));
        throw new SendFailure("sending to " + endpoint + " failed: " + reason, false, waited, null);
    }

    /** Records a failed connection: the next attempt waits out the backoff, which doubles. @return the wait */
    private Duration failed(String reason)
    {
        lastFailure = reason;
        nextAttemptNanos = nanoTime.getAsLong() + backoff.toNanos();
        Duration waited = backoff;
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        return waited;
    }

    /** Whether the server closed (or reset) the connection; what it sent (TLS session tickets, alerts) is dropped. */
    private boolean peerClosed()
    {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        try {
            channel.configureBlocking(false);
            try {
                // syslog servers send nothing but TLS housekeeping; a few reads drain it
                for (int reads = 0; reads < 64; reads++) {
                    sink.clear();
                    int read = channel.read(sink);
                    if (read < 0) {
                        return true;
                    }
                    if (read == 0) {
                        return false;
                    }
                }
                return false;
            }
            finally {
                channel.configureBlocking(true);
            }
        }
        catch (IOException e) {
            return true;
        }
    }

    /** Whether the server closes the fresh connection within {@link #TLS_SETTLE_TIME}; what it sends meanwhile is dropped. */
    private boolean closedSoon(SocketChannel fresh)
            throws IOException
    {
        long deadline = System.nanoTime() + Math.min(TLS_SETTLE_TIME.toNanos(), connectTimeout.toNanos());
        ByteBuffer sink = ByteBuffer.allocate(4096);
        fresh.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            fresh.register(selector, SelectionKey.OP_READ);
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                if (selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))) == 0) {
                    continue;
                }
                selector.selectedKeys().clear();
                sink.clear();
                if (fresh.read(sink) < 0) {
                    return true;
                }
            }
            return false;
        }
        catch (IOException e) {
            // a reset is a close too
            return true;
        }
        finally {
            // closing the selector deregisters the channel, which may then block again
            fresh.configureBlocking(true);
        }
    }

    private void disconnect()
    {
        closeQuietly(channel);
        channel = null;
        socket = null;
        out = null;
    }

    private static void closeQuietly(SocketChannel channel)
    {
        if (channel != null) {
            try {
                channel.close();
            }
            catch (IOException ignored) {
                // closing is best effort; the channel is dropped either way
            }
        }
    }

    /** Whether this agent's trust manager refused the server's certificate (untrusted, expired, another name). */
    private static boolean rejectedServerCertificate(IOException e)
    {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** Whether the server refused this agent's certificate (or its absence) with a TLS alert, or by hanging up after the handshake. */
    private static boolean serverRefusedOurCertificate(IOException e)
    {
        if (rejectedServerCertificate(e)) {
            return false;
        }
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return e instanceof SSLHandshakeException && (message.contains("certificate") || message.contains("unknown_ca") || message.contains("access_denied"));
    }

    private static int timeoutMillis(Duration timeout)
    {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    static String describe(IOException e)
    {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** {@code host:port}, an IPv6 address in brackets ({@code [::1]:514}), as every message of the output writes it. */
    static String endpoint(String host, int port)
    {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    static String describe(Duration duration)
    {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
