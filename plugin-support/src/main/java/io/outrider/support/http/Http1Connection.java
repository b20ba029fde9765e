package io.outrider.support.http;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 connection to a collector, plain or TLS (RFC 9112): writes a request with a {@code Content-Length}
 * body and reads its answer, framed by {@code Content-Length}, {@code chunked} or the end of the connection.
 *
 * <p>One exchange at a time, on the thread that runs it; {@link #close} may come from any thread and ends a read or
 * write blocked on the socket with an {@link IOException}. An answer's body is kept up to a bound and the rest read
 * and dropped, up to {@link #DRAIN_LIMIT} bytes past it, so the connection can carry the next request; a longer
 * answer ends the connection instead. Nothing a collector sends and nothing of a request (its headers carry the
 * credentials) goes into an exception's message.
 */
final class Http1Connection
        implements Closeable
{
    /** How far past the kept part an answer's body is read and dropped to keep the connection. */
    static final int DRAIN_LIMIT = 1 << 20;
    /** The longest status or header line read. */
    static final int MAX_LINE = 8192;
    /** The most header lines in one answer. */
    static final int MAX_HEADER_LINES = 128;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] line = new byte[MAX_LINE];
    private long idleSinceNanos;
    private boolean answerStarted;
    private volatile boolean closed;

    private Http1Connection(Socket socket)
            throws IOException
    {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        // a small request (a heartbeat, one LiteSOC event) leaves in one segment with its headers
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    /**
     * Connects to {@code host:port}, then shakes hands over TLS when {@code tls} is given; both within
     * {@code connectTimeoutMillis} each.
     *
     * @param host the name or address literal (without brackets) to connect to, and the name the TLS trust manager
     *        verifies when {@code tls.server_name} is not set
     * @throws HttpConnectTimeoutException when the connection or the handshake does not complete in time
     * @throws UnknownHostException when the name does not resolve
     */
    static Http1Connection open(String host, int port, SSLSocketFactory tls, SSLParameters tlsParameters, int connectTimeoutMillis)
            throws IOException
    {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException("cannot resolve the collector's host name");
        }
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            try {
                plain.connect(address, connectTimeoutMillis);
            }
            catch (SocketTimeoutException e) {
                throw new HttpConnectTimeoutException("no connection within " + connectTimeoutMillis + " ms");
            }
            if (tls == null) {
                return new Http1Connection(plain);
            }
            SSLSocket secure = (SSLSocket) tls.createSocket(plain, host, port, true);
            secure.setSSLParameters(tlsParameters);
            secure.setSoTimeout(connectTimeoutMillis);
            try {
                secure.startHandshake();
            }
            catch (SocketTimeoutException e) {
                throw new HttpConnectTimeoutException("no TLS handshake within " + connectTimeoutMillis + " ms");
            }
            return new Http1Connection(secure);
        }
        catch (IOException | RuntimeException e) {
            closeQuietly(plain);
            throw e;
        }
    }

    /**
     * Sends {@code head} (the request line and headers, ending with the empty line) and bytes {@code [0, length)} of
     * {@code body}, then reads the answer, waiting at most {@code answerTimeoutMillis} for each read.
     *
     * @param maxBodyBytes how much of the answer's body is kept
     * @throws HttpTimeoutException when a read waits longer than {@code answerTimeoutMillis}
     * @throws IOException when the connection fails or the answer is not HTTP/1.x; {@link #answerStarted()} says
     *         whether any byte of an answer had arrived
     */
    Http1Client.Response exchange(byte[] head, byte[] body, int length, int maxBodyBytes, int answerTimeoutMillis)
            throws IOException
    {
        answerStarted = false;
        out.write(head);
        out.write(body, 0, length);
        out.flush();
        socket.setSoTimeout(Math.max(1, answerTimeoutMillis));
        try {
            return readAnswer(maxBodyBytes);
        }
        catch (SocketTimeoutException e) {
            closed = true;
            throw new HttpTimeoutException("no answer within " + answerTimeoutMillis + " ms");
        }
    }

    /** Whether a byte of the last exchange's answer arrived: if none did, the collector never took the request. */
    boolean answerStarted()
    {
        return answerStarted;
    }

    /** Whether the connection can carry another request: the last answer was read whole and nobody closed it. */
    boolean reusable()
    {
        return !closed && !socket.isClosed();
    }

    void idleSince(long nanos)
    {
        idleSinceNanos = nanos;
    }

    long idleSinceNanos()
    {
        return idleSinceNanos;
    }

    private Http1Client.Response readAnswer(int maxBodyBytes)
            throws IOException
    {
        while (true) {
            int length = readLine(true);
            int status = parseStatusLine(length);
            boolean http10 = line[7] == '0';
            Headers headers = readHeaders();
            if (status >= 100 && status < 200) {
                if (status == 101) {
                    throw new ProtocolException("the collector switched protocols (HTTP 101), which this agent never asked for");
                }
                // an interim answer (100 Continue, 103 Early Hints): the final one follows
                continue;
            }
            byte[] kept;
            boolean framed = true;
            if (status == 204 || status == 304) {
                kept = new byte[0];
            }
            else if (headers.chunked) {
                kept = readChunked(maxBodyBytes);
            }
            else if (headers.contentLength >= 0) {
                kept = readFixed(headers.contentLength, maxBodyBytes);
            }
            else {
                // framed by the end of the connection
                kept = readToEnd(maxBodyBytes);
                framed = false;
            }
            if (!framed || http10 || headers.close) {
                closed = true;
            }
            return new Http1Client.Response(status, Optional.ofNullable(headers.contentType), Optional.ofNullable(headers.retryAfter), kept);
        }
    }

    private int parseStatusLine(int length)
            throws ProtocolException
    {
        // HTTP/1.x 200 [reason]
        if (length < 12 || line[0] != 'H' || line[1] != 'T' || line[2] != 'T' || line[3] != 'P' || line[4] != '/' || line[5] != '1'
                || line[6] != '.' || (line[7] != '0' && line[7] != '1') || line[8] != ' ' || !isDigit(line[9]) || !isDigit(line[10])
                || !isDigit(line[11]) || (length > 12 && line[12] != ' ')) {
            throw new ProtocolException("the collector's answer does not start with an HTTP/1.x status line");
        }
        return (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    }

    private Headers readHeaders()
            throws IOException
    {
        Headers headers = new Headers();
        for (int count = 0; ; count++) {
            int length = readLine(false);
            if (length == 0) {
                return headers;
            }
            if (count == MAX_HEADER_LINES) {
                throw new ProtocolException("the collector's answer has more than " + MAX_HEADER_LINES + " header lines");
            }
            if (line[0] == ' ' || line[0] == '\t') {
                // obsolete line folding continues a value none of the headers read here ever needs
                continue;
            }
            int colon = indexOf(line, length, (byte) ':');
            if (colon <= 0) {
                throw new ProtocolException("the collector's answer has a header line without a name");
            }
            String name = new String(line, 0, colon, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            int start = colon + 1;
            int end = length;
            while (start < end && (line[start] == ' ' || line[start] == '\t')) {
                start++;
            }
            while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
                end--;
            }
            String value = new String(line, start, end - start, StandardCharsets.ISO_8859_1);
            switch (name) {
                case "content-length" -> {
                    long parsed = parseContentLength(value);
                    if (headers.contentLength >= 0 && headers.contentLength != parsed) {
                        throw new ProtocolException("the collector's answer has two different Content-Length headers");
                    }
                    headers.contentLength = parsed;
                }
                case "transfer-encoding" -> {
                    String codings = value.toLowerCase(Locale.ROOT);
                    int comma = codings.lastIndexOf(',');
                    String last = (comma < 0 ? codings : codings.substring(comma + 1)).strip();
                    if (!last.equals("chunked")) {
                        throw new ProtocolException("the collector's answer has a transfer coding other than chunked last");
                    }
                    headers.chunked = true;
                }
                case "connection" -> {
                    for (String option : value.split(",")) {
                        if (option.strip().equalsIgnoreCase("close")) {
                            headers.close = true;
                        }
                    }
                }
                case "retry-after" -> {
                    if (headers.retryAfter == null) {
                        headers.retryAfter = value;
                    }
                }
                case "content-type" -> {
                    if (headers.contentType == null) {
                        headers.contentType = value;
                    }
                }
                default -> {
                    // not needed
                }
            }
        }
    }

    private static long parseContentLength(String value)
            throws ProtocolException
    {
        if (value.isEmpty() || value.length() > 18) {
            throw new ProtocolException("the collector's answer has an invalid Content-Length");
        }
        long parsed = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("the collector's answer has an invalid Content-Length");
            }
            parsed = parsed * 10 + (c - '0');
        }
        return parsed;
    }

    private byte[] readFixed(long length, int maxBodyBytes)
            throws IOException
    {
        Body body = new Body(maxBodyBytes);
        body.read(in, length);
        if (body.drainedTooMuch()) {
            closed = true;
        }
        return body.kept();
    }

    private byte[] readChunked(int maxBodyBytes)
            throws IOException
    {
        Body body = new Body(maxBodyBytes);
        while (true) {
            int length = readLine(false);
            long size = 0;
            int digits = 0;
            for (int i = 0; i < length && line[i] != ';' && line[i] != ' ' && line[i] != '\t'; i++, digits++) {
                int digit = Character.digit(line[i], 16);
                if (digit < 0 || digits == 15) {
                    throw new ProtocolException("the collector's chunked answer has an invalid chunk size");
                }
                size = size * 16 + digit;
            }
            if (digits == 0) {
                throw new ProtocolException("the collector's chunked answer has an invalid chunk size");
            }
            if (size == 0) {
                // trailer fields, up to the empty line
                for (int count = 0; readLine(false) != 0; count++) {
                    if (count == MAX_HEADER_LINES) {
                        throw new ProtocolException("the collector's answer has more than " + MAX_HEADER_LINES + " trailer lines");
                    }
                }
                return body.kept();
            }
            if (body.read(in, size) && body.drainedTooMuch()) {
                closed = true;
                return body.kept();
            }
            if (readLine(false) != 0) {
                throw new ProtocolException("the collector's chunked answer has a chunk longer than its size");
            }
        }
    }

    private byte[] readToEnd(int maxBodyBytes)
            throws IOException
    {
        Body body = new Body(maxBodyBytes);
        body.read(in, Long.MAX_VALUE);
        return body.kept();
    }

    /**
     * Reads one line into {@link #line} without its CR LF and returns its length.
     *
     * @param first whether it is an answer's first line, whose missing start means the collector closed the
     *        connection without answering
     */
    private int readLine(boolean first)
            throws IOException
    {
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(first && length == 0 ? "the collector closed the connection without answering"
                        : "the collector's answer ended in the middle of a line");
            }
            answerStarted = true;
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return length;
            }
            if (length == MAX_LINE) {
                throw new ProtocolException("the collector's answer has a line longer than " + MAX_LINE + " bytes");
            }
            line[length++] = (byte) b;
        }
    }

    private static int indexOf(byte[] bytes, int length, byte wanted)
    {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isDigit(byte b)
    {
        return b >= '0' && b <= '9';
    }

    @Override
    public void close()
    {
        closed = true;
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket)
    {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // closing: nothing is left to lose
        }
    }

    /** The framing headers of an answer, Retry-After and Content-Type. */
    private static final class Headers
    {
        long contentLength = -1;
        boolean chunked;
        boolean close;
        String retryAfter;
        String contentType;
    }

    /** An answer's body: the first bytes up to a bound, and a count of the rest that was read and dropped. */
    private static final class Body
    {
        private final int maxKept;
        private final byte[] scratch = new byte[8192];
        private ByteArrayOutputStream kept;
        private long dropped;

        Body(int maxKept)
        {
            this.maxKept = maxKept;
        }

        /**
         * Reads {@code length} bytes (to the end of the stream for {@link Long#MAX_VALUE}); returns whether it stopped
         * early because more than {@link #DRAIN_LIMIT} bytes past the bound came.
         */
        boolean read(InputStream in, long length)
                throws IOException
        {
            long left = length;
            while (left > 0) {
                if (drainedTooMuch()) {
                    return true;
                }
                int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                if (n < 0) {
                    if (length == Long.MAX_VALUE) {
                        return false;
                    }
                    throw new EOFException("the collector's answer ended before its body did");
                }
                left -= n;
                int keep = kept == null ? Math.min(n, maxKept) : Math.min(n, maxKept - kept.size());
                if (keep > 0) {
                    if (kept == null) {
                        kept = new ByteArrayOutputStream(Math.min(maxKept, (int) Math.min(Integer.MAX_VALUE, Math.max(length, 64))));
                    }
                    kept.write(scratch, 0, keep);
                }
                dropped += n - keep;
            }
            return false;
        }

        boolean drainedTooMuch()
        {
            return dropped > DRAIN_LIMIT;
        }

        byte[] kept()
        {
            return kept == null ? new byte[0] : kept.toByteArray();
        }
    }
}
