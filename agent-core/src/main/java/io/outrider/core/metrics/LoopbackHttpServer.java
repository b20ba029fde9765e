package io.outrider.core.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * A small HTTP/1.1 server for the status and control endpoint: one request per connection, no request bodies.
 * <p>
 * The JDK's {@code HttpServer} reads a request's head on its executor's threads with blocking reads and no timeout
 * (unless JVM-wide system properties are set before its first use), so a local client that sends half a request
 * holds a thread for good, and with a bounded pool a handful of such clients stop {@code /health} for everybody.
 * Here one selector thread accepts connections and reads request heads without blocking, a connection that has not
 * sent its whole head within {@link Limits#requestTimeout()} is closed, the number of connections waiting for their
 * head is bounded (the one waiting longest is dropped for a new one), and only complete requests reach the bounded
 * pool of handler threads. Responses are written by the selector thread too, so a client that does not read cannot
 * hold a handler thread either.
 */
final class LoopbackHttpServer
        implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(LoopbackHttpServer.class.getName());
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final Duration DRAIN_TIME = Duration.ofSeconds(2);
    private static final long NO_DEADLINE = Long.MIN_VALUE;

    /**
     * A complete request head. Header names are lower case; a repeated header keeps its first value. {@code query} is
     * what followed the {@code ?} of the target, still percent-encoded, empty when there was none.
     */
    record Request(String method, String path, Map<String, String> headers, String query)
    {
        Request
        {
            requireNonNull(method, "method is null");
            requireNonNull(path, "path is null");
            headers = Map.copyOf(headers);
            requireNonNull(query, "query is null");
        }

        Request(String method, String path, Map<String, String> headers)
        {
            this(method, path, headers, "");
        }

        /** The decoded value of a query parameter ({@code name=value}); the first one when it is repeated. */
        Optional<String> parameter(String name)
        {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String key = java.net.URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    return Optional.of(equals < 0 ? "" : java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
            return Optional.empty();
        }

        Optional<String> header(String name)
        {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** A response; for a HEAD request only its head is sent. */
    record Response(int status, String contentType, byte[] body, Map<String, String> headers)
    {
        Response
        {
            requireNonNull(contentType, "contentType is null");
            requireNonNull(body, "body is null");
            headers = Map.copyOf(headers);
        }

        static Response text(int status, String contentType, String body)
        {
            return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        Response withHeader(String name, String value)
        {
            return withHeaders(Map.of(name, value));
        }

        Response withHeaders(Map<String, String> added)
        {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.putAll(added);
            return new Response(status, contentType, body, more);
        }
    }

    /** Computes a response on a handler thread. An exception becomes a 500 that names only the exception's class. */
    interface Handler
    {
        Response handle(Request request)
                throws Exception;
    }

    /**
     * @param requestTimeout how long a connection may take to send its request head
     * @param writeTimeout how long a client may take to read its response
     * @param maxPendingConnections connections waiting for their request head at most; more drop the oldest
     * @param handlerThreads requests handled at the same time
     * @param queuedRequests complete requests waiting for a handler thread; more are answered 503
     * @param maxHeadBytes the longest request head (request line and headers) read; a longer one is answered 431
     */
    record Limits(Duration requestTimeout, Duration writeTimeout, int maxPendingConnections, int handlerThreads, int queuedRequests, int maxHeadBytes)
    {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10), 64, 4, 32, 16 * 1024);

        Limits
        {
            requireNonNull(requestTimeout, "requestTimeout is null");
            requireNonNull(writeTimeout, "writeTimeout is null");
        }
    }

    private final Handler handler;
    private final Limits limits;
    private final ServerSocketChannel serverChannel;
    private final Selector selector;
    private final ThreadPoolExecutor handlers;
    private final Thread selectorThread;
    private final Queue<Runnable> selectorTasks = new ConcurrentLinkedQueue<>();
    // accept order: the first connection still reading its head is the one that has waited longest
    private final Set<Connection> connections = new LinkedHashSet<>();
    private volatile boolean running = true;

    private LoopbackHttpServer(InetSocketAddress address, Handler handler, Limits limits)
            throws IOException
    {
        this.handler = requireNonNull(handler, "handler is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.selector = Selector.open();
        try {
            this.serverChannel = ServerSocketChannel.open();
            serverChannel.bind(requireNonNull(address, "address is null"), 64);
            serverChannel.configureBlocking(false);
            serverChannel.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        this.handlers = new ThreadPoolExecutor(limits.handlerThreads(), limits.handlerThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(limits.queuedRequests()), runnable -> {
                    Thread thread = new Thread(runnable, "status-server-handler-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.selectorThread = new Thread(this::run, "status-server");
        selectorThread.setDaemon(true);
    }

    static LoopbackHttpServer start(InetSocketAddress address, Handler handler, Limits limits)
            throws IOException
    {
        LoopbackHttpServer server = new LoopbackHttpServer(address, handler, limits);
        server.selectorThread.start();
        return server;
    }

    InetSocketAddress address()
    {
        try {
            return (InetSocketAddress) serverChannel.getLocalAddress();
        }
        catch (IOException e) {
            throw new IllegalStateException("status server is closed", e);
        }
    }

    private void run()
    {
        try {
            while (running) {
                selector.select(nextWakeUpMillis());
                Runnable task;
                while ((task = selectorTasks.poll()) != null) {
                    try {
                        task.run();
                    }
                    catch (CancelledKeyException e) {
                        // the connection was closed while its request was handled: nobody is left to answer
                    }
                }
                Iterator<SelectionKey> selected = selector.selectedKeys().iterator();
                while (selected.hasNext()) {
                    SelectionKey key = selected.next();
                    selected.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                        continue;
                    }
                    Connection connection = (Connection) key.attachment();
                    try {
                        if (key.isReadable()) {
                            if (connection.state == State.DRAINING) {
                                drain(connection);
                            }
                            else {
                                read(connection);
                            }
                        }
                        else if (key.isWritable()) {
                            write(connection);
                        }
                    }
                    catch (CancelledKeyException e) {
                        // closed while its event was pending; one connection's end must not end the server
                        connection.close();
                    }
                }
                closeExpired(System.nanoTime());
            }
        }
        catch (IOException | ClosedSelectorException e) {
            if (running) {
                LOG.log(System.Logger.Level.ERROR, "status endpoint stopped: " + e);
            }
        }
        catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "status endpoint stopped", e);
            throw e;
        }
        finally {
            for (Connection connection : List.copyOf(connections)) {
                connection.close();
            }
        }
    }

    private long nextWakeUpMillis()
    {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Connection connection : connections) {
            if (connection.deadline != NO_DEADLINE) {
                next = Math.min(next, connection.deadline - now);
            }
        }
        // 0 means "no timeout" to select
        return next == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
    }

    private void accept()
            throws IOException
    {
        SocketChannel channel;
        while ((channel = serverChannel.accept()) != null) {
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Connection connection = new Connection(channel, System.nanoTime() + limits.requestTimeout().toNanos());
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                connections.add(connection);
            }
            catch (IOException e) {
                channel.close();
                continue;
            }
            dropOldestIfTooManyPending();
        }
    }

    private void dropOldestIfTooManyPending()
    {
        int pending = 0;
        Connection oldest = null;
        for (Connection connection : connections) {
            if (connection.state == State.READING) {
                pending++;
                if (oldest == null) {
                    oldest = connection;
                }
            }
        }
        if (pending > limits.maxPendingConnections() && oldest != null) {
            oldest.close();
        }
    }

    private void read(Connection connection)
    {
        int read;
        try {
            read = connection.channel.read(connection.head);
        }
        catch (IOException e) {
            connection.close();
            return;
        }
        if (read < 0) {
            connection.close();
            return;
        }
        int end = indexOfHeadEnd(connection.head, connection.scanned);
        connection.scanned = connection.head.position();
        if (end < 0) {
            if (!connection.head.hasRemaining()) {
                respond(connection, error(431, "the request head is longer than " + limits.maxHeadBytes() + " bytes"), false);
            }
            return;
        }
        Request request;
        try {
            request = parse(new String(connection.head.array(), 0, end, StandardCharsets.ISO_8859_1));
        }
        catch (IllegalArgumentException e) {
            respond(connection, error(400, e.getMessage()), false);
            return;
        }
        boolean head = request.method().equals("HEAD");
        if (request.header("transfer-encoding").isPresent() || !request.header("content-length").orElse("0").strip().equals("0")) {
            respond(connection, error(413, "request bodies are not accepted"), head);
            return;
        }
        connection.state = State.HANDLING;
        // the handler threads are bounded, and a handler's own time is the agent's, not the client's
        connection.deadline = NO_DEADLINE;
        connection.key.interestOps(0);
        try {
            handlers.execute(() -> {
                Response response = handle(request);
                selectorTasks.add(() -> respond(connection, response, head));
                selector.wakeup();
            });
        }
        catch (RejectedExecutionException e) {
            respond(connection, error(503, "too many requests at once; try again"), head);
        }
    }

    private Response handle(Request request)
    {
        try {
            return handler.handle(request);
        }
        catch (Exception | Error e) {
            LOG.log(System.Logger.Level.DEBUG, "status request " + request.path() + " failed", e);
            return error(500, e.getClass().getSimpleName());
        }
    }

    private void respond(Connection connection, Response response, boolean head)
    {
        if (!connection.channel.isOpen()) {
            return;
        }
        StringBuilder text = new StringBuilder(256)
                .append("HTTP/1.1 ").append(response.status()).append(' ').append(reason(response.status())).append("\r\n")
                .append("Content-Type: ").append(response.contentType()).append("\r\n")
                .append("Content-Length: ").append(response.body().length).append("\r\n")
                .append("Connection: close\r\n");
        response.headers().forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        text.append("\r\n");
        byte[] responseHead = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer bytes = ByteBuffer.allocate(responseHead.length + (head ? 0 : response.body().length));
        bytes.put(responseHead);
        if (!head) {
            bytes.put(response.body());
        }
        connection.response = bytes.flip();
        connection.state = State.WRITING;
        connection.deadline = System.nanoTime() + limits.writeTimeout().toNanos();
        connection.key.interestOps(SelectionKey.OP_WRITE);
        write(connection);
    }

    private void write(Connection connection)
    {
        try {
            connection.channel.write(connection.response);
            if (!connection.response.hasRemaining()) {
                // closing with unread request bytes would reset the connection, and a reset can discard the response
                // before the client reads it: end our side, then read until the client closes (or a short while)
                connection.channel.shutdownOutput();
                connection.state = State.DRAINING;
                connection.deadline = System.nanoTime() + DRAIN_TIME.toNanos();
                connection.key.interestOps(SelectionKey.OP_READ);
            }
        }
        catch (IOException e) {
            connection.close();
        }
    }

    private void drain(Connection connection)
    {
        connection.head.clear();
        try {
            if (connection.channel.read(connection.head) < 0) {
                connection.close();
            }
        }
        catch (IOException e) {
            connection.close();
        }
    }

    private void closeExpired(long now)
    {
        for (Connection connection : List.copyOf(connections)) {
            if (connection.deadline != NO_DEADLINE && now - connection.deadline >= 0) {
                connection.close();
            }
        }
    }

    private static Response error(int status, String message)
    {
        return Response.text(status, "application/json", "{\"error\":" + StatusServer.jsonString(message) + "}\n");
    }

    /** Where the blank line that ends the head starts, looking only at what came after {@code scanned} bytes. */
    private static int indexOfHeadEnd(ByteBuffer buffer, int scanned)
    {
        byte[] bytes = buffer.array();
        for (int i = Math.max(0, scanned - HEAD_END.length + 1); i + HEAD_END.length <= buffer.position(); i++) {
            if (Arrays.equals(bytes, i, i + HEAD_END.length, HEAD_END, 0, HEAD_END.length)) {
                return i;
            }
        }
        return -1;
    }

    private static Request parse(String head)
    {
        String[] lines = head.split("\r\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.") || !requestLine[1].startsWith("/") || !requestLine[0].matches("[A-Z]+")) {
            throw new IllegalArgumentException("not an HTTP/1.x request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed header line " + i);
            }
            headers.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        String target = requestLine[1];
        int query = target.indexOf('?');
        return new Request(requestLine[0], query < 0 ? target : target.substring(0, query), headers, query < 0 ? "" : target.substring(query + 1));
    }

    private static String reason(int status)
    {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 421 -> "Misdirected Request";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }

    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        try {
            selectorThread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handlers.shutdownNow();
        List<IOException> failures = new ArrayList<>();
        for (AutoCloseable closeable : List.<AutoCloseable>of(serverChannel, selector)) {
            try {
                closeable.close();
            }
            catch (Exception e) {
                failures.add(new IOException(e));
            }
        }
        failures.forEach(e -> LOG.log(System.Logger.Level.DEBUG, "closing the status endpoint", e));
    }

    private enum State
    {
        READING, HANDLING, WRITING, DRAINING
    }

    private final class Connection
    {
        final SocketChannel channel;
        final ByteBuffer head = ByteBuffer.allocate(limits.maxHeadBytes());
        SelectionKey key;
        int scanned;
        State state = State.READING;
        long deadline;
        ByteBuffer response;

        Connection(SocketChannel channel, long deadline)
        {
            this.channel = channel;
            this.deadline = deadline;
        }

        void close()
        {
            connections.remove(this);
            if (key != null) {
                key.cancel();
            }
            try {
                channel.close();
            }
            catch (IOException e) {
                // nothing is left to tell the client
            }
        }
    }
}
