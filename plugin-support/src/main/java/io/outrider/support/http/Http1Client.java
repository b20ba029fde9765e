package io.outrider.support.http;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The HTTP outputs' client (the http and otlp outputs): POSTs over HTTP/1.1 to one collector's origin, on kept-alive
 * connections, each exchange on a thread of its own ({@link ExchangeThreads}) that blocks on its socket.
 *
 * <p>Why not the JDK's {@code java.net.http.HttpClient}: its asynchronous pipeline hands every request between its
 * selector thread, its executor and the completion stages, and on a 2-core machine that cost 1.4 to 1.9 ms of CPU
 * per 450 KB request against 0.15 ms for the same bytes written and read on a blocking socket
 * (docs/footprint.md, session 17): a fifth to a quarter of the agent's CPU at a thousand requests per million events.
 * It also loads about 550 classes and keeps a selector thread for as long as the client lives (about 12 MB more
 * resident in an idle otlp agent, docs/footprint.md, session 19). What an output needs is small: one origin, POST
 * with a body of known length, no redirects, no proxy, no HTTP/2.
 *
 * <p>Connections: a request takes the connection that went idle last, or opens one; an answer read whole on a
 * connection the collector did not close gives it back. A connection idle for more than {@link #MAX_IDLE} is closed
 * instead of used. When a kept-alive connection fails before any byte of an answer arrived (the collector closed it
 * while it was idle), the request is sent once more on a new connection; a fresh connection's failure is the
 * request's.
 *
 * <p>Deadlines: the connection and the TLS handshake within {@code connectTimeout} each, each read of the answer
 * within {@code requestTimeout}, and the whole exchange within both together: at that deadline the future fails with
 * {@link HttpTimeoutException} and the exchange's connection is closed, which ends a write or read blocked on it.
 * Cancelling the future closes it too. Thread-safe.
 */
public final class Http1Client
        implements Closeable
{
    /** Collectors commonly end idle connections after 5 to 75 s; older ones are not worth a failed first write. */
    public static final Duration MAX_IDLE = Duration.ofSeconds(30);
    /**
     * An exchange thread ends after this long without a request, and with the last one the client calls its
     * {@code whenIdle}. Shorter than the agent's look for a burst's end (15 to 30 s after the buffer last changed), so
     * that what the output lets go of then is garbage by the time the agent collects and shrinks the heap.
     */
    public static final long THREAD_KEEP_ALIVE_SECONDS = 5;

    private final String host;
    private final int port;
    private final String hostHeader;
    private final SSLSocketFactory tls;
    private final SSLParameters tlsParameters;
    private final int connectTimeoutMillis;
    private final int requestTimeoutMillis;
    private final Duration deadline;
    private final int maxResponseBytes;
    private final ExchangeThreads threads;
    private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();
    private final Set<Http1Connection> open = new HashSet<>();
    private boolean closed;

    /**
     * @param origin the collector's scheme, host and port (its path is not used: each request names its own)
     * @param sslContext for an {@code https} origin; null for {@code http}
     * @param tlsParameters the TLS parameters of each connection (protocols, SNI); null for {@code http}
     * @param maxResponseBytes how much of an answer's body is kept
     * @param threadPrefix the name of each exchange thread, before its number
     * @param maxExchanges the most exchanges at once; more wait for a thread
     * @param whenIdle run once no request was sent for {@value #THREAD_KEEP_ALIVE_SECONDS} s, on the client's last
     *        thread as it ends (see {@link ExchangeThreads}); not after {@link #close()}
     */
    public Http1Client(URI origin, SSLContext sslContext, SSLParameters tlsParameters, Duration connectTimeout, Duration requestTimeout,
            int maxResponseBytes, String threadPrefix, int maxExchanges, Runnable whenIdle)
    {
        requireNonNull(origin, "origin is null");
        boolean https = "https".equalsIgnoreCase(origin.getScheme());
        if (https != (sslContext != null)) {
            throw new IllegalArgumentException("an https origin needs a TLS context, and an http one none: " + origin.getScheme());
        }
        String uriHost = requireNonNull(origin.getHost(), "origin has no host");
        this.host = uriHost.startsWith("[") && uriHost.endsWith("]") ? uriHost.substring(1, uriHost.length() - 1) : uriHost;
        this.port = origin.getPort() >= 0 ? origin.getPort() : https ? 443 : 80;
        this.hostHeader = origin.getPort() >= 0 ? uriHost + ":" + origin.getPort() : uriHost;
        this.tls = https ? sslContext.getSocketFactory() : null;
        this.tlsParameters = tlsParameters;
        this.connectTimeoutMillis = millis(connectTimeout);
        this.requestTimeoutMillis = millis(requestTimeout);
        this.deadline = connectTimeout.plus(requestTimeout);
        this.maxResponseBytes = maxResponseBytes;
        this.threads = new ExchangeThreads(threadPrefix, maxExchanges, THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, whenIdle);
    }

    /** An answer: its status, its first Content-Type and Retry-After headers, and up to the bound of its body. */
    public record Response(int status, Optional<String> contentType, Optional<String> retryAfter, byte[] body)
    {
        public Response
        {
            requireNonNull(contentType, "contentType is null");
            requireNonNull(retryAfter, "retryAfter is null");
            requireNonNull(body, "body is null");
        }

        public boolean isSuccess()
        {
            return status >= 200 && status < 300;
        }
    }

    /**
     * POSTs bytes {@code [0, length)} of {@code body} to {@code target}'s path and query; the array must not change
     * until the future is complete.
     *
     * @param headers sent in this order after Host; never Content-Length, which this method sets
     * @return the answer; fails with the transport's {@link IOException}, {@link HttpTimeoutException} at the
     *         deadline, or an {@link IOException} once the client is closed
     */
    public CompletableFuture<Response> post(URI target, List<Map.Entry<String, String>> headers, byte[] body, int length)
    {
        byte[] head = head(target, headers, length);
        Exchange exchange = new Exchange();
        CompletableFuture<Response> result = new CompletableFuture<>();
        // failed at the deadline, or cancelled by the caller: the exchange must not go on writing or reading
        result.whenComplete((ignored, failure) -> {
            if (failure != null) {
                exchange.abort();
            }
        });
        CompletableFuture<Response> answer;
        try {
            answer = threads.submit(() -> exchange(exchange, head, body, length));
        }
        catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException("the HTTP client is closed"));
        }
        answer.orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS).whenComplete((response, failure) -> {
            if (failure == null) {
                result.complete(response);
            }
            else if (failure instanceof TimeoutException) {
                result.completeExceptionally(new HttpTimeoutException("no complete answer within " + deadline));
            }
            else {
                // ExchangeThreads completes with the exchange's own exception, never wrapped
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    /**
     * {@link #post}s and waits for the answer, on the caller's thread.
     *
     * @throws IOException as {@link #post}'s future fails ({@link #failureOf})
     * @throws InterruptedException when the caller is interrupted: the exchange is cancelled first, which closes its
     *         connection
     */
    public Response send(URI target, List<Map.Entry<String, String>> headers, byte[] body, int length)
            throws IOException, InterruptedException
    {
        CompletableFuture<Response> exchange = post(target, headers, body, length);
        try {
            return exchange.get();
        }
        catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        }
        catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException && !(cause instanceof CompletionException)) {
                throw (RuntimeException) cause;
            }
            throw failureOf(cause);
        }
    }

    /**
     * The {@link IOException} a failed {@link #post} future stands for, unwrapped from the completion stages' wrappers;
     * anything else (a bug, not the network) wrapped in one named after its class.
     */
    public static IOException failureOf(Throwable failure)
    {
        Throwable cause = requireNonNull(failure, "failure is null");
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IOException) {
            return (IOException) cause;
        }
        return new IOException(cause.getClass().getSimpleName(), cause);
    }

    private byte[] head(URI target, List<Map.Entry<String, String>> headers, int length)
    {
        String path = target.getRawPath();
        StringBuilder text = new StringBuilder(256).append("POST ").append(path == null || path.isEmpty() ? "/" : path);
        if (target.getRawQuery() != null) {
            text.append('?').append(target.getRawQuery());
        }
        text.append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            String value = header.getValue();
            if (!isSendableHeaderValue(value)) {
                // the configuration refuses such values; never let one split the request
                throw new IllegalArgumentException("the value of header " + name + " has a character a header cannot carry");
            }
            text.append(name).append(": ").append(value).append("\r\n");
        }
        text.append("Content-Length: ").append(length).append("\r\n\r\n");
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether {@link #post} sends {@code value} as a header's value: one line of Latin-1 text without NUL. Outputs
     * check their configured headers with it, so that {@code validate} refuses what a request could not carry.
     */
    public static boolean isSendableHeaderValue(String value)
    {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    private Response exchange(Exchange exchange, byte[] head, byte[] body, int length)
            throws IOException
    {
        Http1Connection connection = takeIdle();
        boolean reused = connection != null;
        if (connection == null) {
            connection = connect(exchange);
        }
        while (true) {
            exchange.use(connection);
            try {
                Response response = connection.exchange(head, body, length, maxResponseBytes, requestTimeoutMillis);
                release(connection, exchange);
                return response;
            }
            catch (IOException e) {
                discard(connection);
                if (!reused || connection.answerStarted() || exchange.aborted() || e instanceof HttpTimeoutException) {
                    throw e;
                }
                // the collector closed the kept-alive connection while it was idle: it never took this request
                reused = false;
                connection = connect(exchange);
            }
        }
    }

    private Http1Connection connect(Exchange exchange)
            throws IOException
    {
        if (exchange.aborted()) {
            throw new IOException("the exchange ended before it connected");
        }
        Http1Connection connection = Http1Connection.open(host, port, tls, tlsParameters, connectTimeoutMillis);
        synchronized (this) {
            if (!closed) {
                open.add(connection);
                return connection;
            }
        }
        connection.close();
        throw new IOException("the HTTP client is closed");
    }

    private synchronized Http1Connection takeIdle()
    {
        long now = System.nanoTime();
        while (!idle.isEmpty()) {
            Http1Connection connection = idle.pollLast();
            if (now - connection.idleSinceNanos() <= MAX_IDLE.toNanos()) {
                return connection;
            }
            open.remove(connection);
            connection.close();
        }
        return null;
    }

    private void release(Http1Connection connection, Exchange exchange)
    {
        exchange.use(null);
        synchronized (this) {
            if (!closed && connection.reusable() && !exchange.aborted()) {
                connection.idleSince(System.nanoTime());
                idle.addLast(connection);
                return;
            }
            open.remove(connection);
        }
        connection.close();
    }

    private void discard(Http1Connection connection)
    {
        synchronized (this) {
            open.remove(connection);
        }
        connection.close();
    }

    /** Connections open now, in use or idle (tests). */
    synchronized int openConnections()
    {
        return open.size();
    }

    /** Closes every connection, idle or in use (which fails its exchange), and lets the threads end. */
    @Override
    public void close()
    {
        List<Http1Connection> closing;
        synchronized (this) {
            closed = true;
            closing = new ArrayList<>(open);
            open.clear();
            idle.clear();
        }
        threads.shutDown();
        closing.forEach(Http1Connection::close);
    }

    private static int millis(Duration duration)
    {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }

    /** The connection an exchange is using, so a deadline or a cancelled caller can close it from another thread. */
    private static final class Exchange
    {
        private Http1Connection connection;
        private boolean aborted;

        synchronized void use(Http1Connection next)
        {
            connection = next;
            if (aborted && next != null) {
                next.close();
            }
        }

        synchronized void abort()
        {
            aborted = true;
            if (connection != null) {
                connection.close();
            }
        }

        synchronized boolean aborted()
        {
            return aborted;
        }
    }
}
