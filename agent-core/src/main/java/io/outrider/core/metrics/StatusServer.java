package io.outrider.core.metrics;

import io.outrider.core.control.ControlToken;
import io.outrider.core.control.ListenAddress;
import io.outrider.support.LoopbackHost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.metrics.LoopbackHttpServer.Request;
import io.outrider.core.metrics.LoopbackHttpServer.Response;
import io.outrider.core.logging.RedactingFormatter;
import io.outrider.core.pipeline.Agent;
import io.outrider.core.pipeline.EventTap;
import io.outrider.core.storage.EventCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The status endpoint on a loopback address: {@code /health} (liveness: 200 while the process answers),
 * {@code /ready} (readiness: 200 when every output is delivering or idle, 503 naming each output that is not, see
 * {@link Readiness}), {@code /status} (JSON) and {@code /metrics} (Prometheus text), read-only (GET and HEAD), and {@code POST /control/pause|resume|reload}
 * and {@code GET /tap} (live events, for {@code outrider tap}) for callers presenting the {@link ControlToken}. Requests are read with time limits on a bounded number of threads (see
 * {@link LoopbackHttpServer}), so no client can keep the endpoint from answering others. A request whose
 * {@code Host} is not a loopback address or {@code localhost} is refused with 421: a web page whose name was
 * re-pointed at 127.0.0.1 (DNS rebinding) could otherwise read {@code /status} through the visitor's browser.
 */
public final class StatusServer
        implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final String JSON_TYPE = "application/json";
    private static final String TEXT_TYPE = "text/plain; charset=utf-8";
    /** How long {@code /tap} waits for an event before it answers with none; a handler thread is held meanwhile. */
    private static final Duration TAP_WAIT = Duration.ofSeconds(1);
    /** The most events one {@code /tap} answer carries. */
    static final int MAX_TAP_EVENTS = 500;
    /** Taps waiting for events at the same time, at most; fewer than the server's handler threads. */
    static final int MAX_WAITING_TAPS = 2;

    private final LoopbackHttpServer server;

    private StatusServer(LoopbackHttpServer server)
    {
        this.server = server;
    }

    /**
     * Serves on {@code listen} ({@code host:port}, see {@link ListenAddress}; port 0 picks a free one).
     *
     * @throws IllegalArgumentException when {@code listen} is not a loopback address and port
     */
    public static StatusServer start(String listen, Agent agent, SecretRegistry secrets)
            throws IOException
    {
        requireNonNull(agent, "agent is null");
        return start(listen, () -> agent, secrets, null, null);
    }

    /**
     * Serves status for whichever agent {@code agent} supplies (it changes on reload) and, when {@code control} and
     * {@code token} are given, {@code POST /control/pause|resume|reload} for callers presenting the token.
     */
    public static StatusServer start(String listen, Supplier<Agent> agent, SecretRegistry secrets, AgentControl control, ControlToken token)
            throws IOException
    {
        return start(listen, agent, secrets, control, token, LoopbackHttpServer.Limits.DEFAULT);
    }

    static StatusServer start(String listen, Supplier<Agent> agent, SecretRegistry secrets, AgentControl control, ControlToken token, LoopbackHttpServer.Limits limits)
            throws IOException
    {
        requireNonNull(agent, "agent is null");
        requireNonNull(secrets, "secrets is null");
        ListenAddress address = ListenAddress.parse(requireNonNull(listen, "listen is null"));
        InetSocketAddress socketAddress = address.socketAddress();
        if (!socketAddress.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("status endpoint must listen on a loopback address, not " + address.host());
        }
        Routes routes = new Routes(agent, secrets, control, token, new Semaphore(MAX_WAITING_TAPS));
        return new StatusServer(LoopbackHttpServer.start(socketAddress, routes::handle, limits));
    }

    /** Routes a request; never throws for what a client sent. */
    private record Routes(Supplier<Agent> agent, SecretRegistry secrets, AgentControl control, ControlToken token, Semaphore waitingTaps)
    {
        Response handle(Request request)
        {
            Optional<String> host = request.header("host");
            // a browser always sends Host; a client without one (HTTP/1.0) is not a page that DNS rebinding could steer
            if (host.isPresent() && !isLoopbackHost(host.get())) {
                return error(421, "Host '" + host.get() + "' is not this agent's status address; use 127.0.0.1, [::1] or localhost");
            }
            String path = request.path();
            return switch (path) {
                case "/health" -> read(request, JSON_TYPE, () -> "{\"status\":\"ok\"}\n");
                case "/ready" -> ready(request);
                case "/status" -> read(request, JSON_TYPE, () -> toJson(agent.get()));
                case "/metrics" -> read(request, "text/plain; version=0.0.4; charset=utf-8", () -> agent.get().metrics().scrape());
                case "/tap" -> token != null ? tap(request) : Response.text(404, TEXT_TYPE, "no such endpoint; use /health, /ready, /status or /metrics\n");
                default -> path.startsWith("/control/") && control != null && token != null
                        ? control(request, path.substring("/control/".length()))
                        // plain text, not JSON or a page: whoever typed a wrong path reads it in a terminal
                        : Response.text(404, TEXT_TYPE, "no such endpoint; use /health, /ready, /status or /metrics\n");
            };
        }

        private Response ready(Request request)
        {
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                return error(405, "use GET").withHeader("Allow", "GET, HEAD");
            }
            try {
                Readiness readiness = Readiness.of(agent.get(), System.currentTimeMillis());
                return Response.text(readiness.ready() ? 200 : 503, JSON_TYPE, secrets.redact(jsonValue(readiness.body()) + "\n"))
                        .withHeader("Cache-Control", "no-store");
            }
            catch (RuntimeException e) {
                return Response.text(503, JSON_TYPE, "{\"status\":\"unknown\",\"error\":\"" + e.getClass().getSimpleName() + "\"}\n").withHeader("Cache-Control", "no-store");
            }
        }

        /**
         * {@code GET /tap?after=N&limit=N&pipeline=P&component=C}: the events committed after number N (see
         * {@link EventTap}), waiting up to {@link #TAP_WAIT} for one, as
         * {@code {"next":N,"missed":N,"events":[{"pipeline":..,"component":..,"event":{..}}]}}, masked like log
         * lines. Events are what the agent collects, so the caller needs the control token, as for control.
         */
        private Response tap(Request request)
        {
            if (!request.method().equals("GET")) {
                return error(405, "use GET").withHeader("Allow", "GET");
            }
            if (!token.matches(request.header("authorization").orElse(null))) {
                return error(401, "missing or wrong control token (Authorization: Bearer <contents of " + ControlToken.FILE_NAME + " in the data directory>)");
            }
            long after;
            int limit;
            Optional<String> pipeline;
            Optional<String> component;
            try {
                after = Long.parseLong(request.parameter("after").orElse("-1"));
                limit = Integer.parseInt(request.parameter("limit").orElse(String.valueOf(MAX_TAP_EVENTS)));
                pipeline = request.parameter("pipeline").filter(value -> !value.isEmpty());
                component = request.parameter("component").filter(value -> !value.isEmpty());
            }
            catch (IllegalArgumentException e) {
                return error(400, "after and limit must be whole numbers, and the query must be percent-encoded");
            }
            if (limit < 1 || limit > MAX_TAP_EVENTS) {
                return error(400, "limit must be between 1 and " + MAX_TAP_EVENTS);
            }
            Agent current = agent.get();
            Optional<String> problem = current.tapFilterProblem(pipeline, component);
            if (problem.isPresent()) {
                return error(404, problem.get());
            }
            EventTap.Batch batch;
            // a waiting tap holds a handler thread: never so many that /health and /ready wait for them
            if (!waitingTaps.tryAcquire()) {
                return error(503, "too many taps at once (at most " + MAX_WAITING_TAPS + "); try again when one ends");
            }
            try {
                batch = current.tap().poll(after, pipeline, component, limit, TAP_WAIT);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error(503, "the agent is stopping");
            }
            finally {
                waitingTaps.release();
            }
            StringBuilder body = new StringBuilder(256 + batch.entries().size() * 300)
                    .append("{\"next\":").append(batch.next()).append(",\"missed\":").append(batch.missed()).append(",\"events\":[");
            for (int i = 0; i < batch.entries().size(); i++) {
                EventTap.Entry entry = batch.entries().get(i);
                body.append(i == 0 ? "" : ",").append("\n{\"pipeline\":").append(jsonString(entry.pipeline()))
                        .append(",\"component\":").append(jsonString(entry.component()))
                        .append(",\"event\":").append(EventCodec.toJsonLine(entry.event())).append('}');
            }
            body.append("]}\n");
            return Response.text(200, JSON_TYPE, RedactingFormatter.redactLikeLogs(secrets, body.toString())).withHeader("Cache-Control", "no-store");
        }

        private Response read(Request request, String contentType, Supplier<String> body)
        {
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                return error(405, "use GET").withHeader("Allow", "GET, HEAD");
            }
            try {
                return Response.text(200, contentType, secrets.redact(body.get())).withHeader("Cache-Control", "no-store");
            }
            catch (RuntimeException e) {
                return Response.text(500, contentType, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}\n").withHeader("Cache-Control", "no-store");
            }
        }

        private Response control(Request request, String action)
        {
            int status;
            String message;
            Map<String, String> headers = Map.of();
            if (!request.method().equals("POST")) {
                headers = Map.of("Allow", "POST");
                status = 405;
                message = "use POST";
            }
            else if (!token.matches(request.header("authorization").orElse(null))) {
                status = 401;
                message = "missing or wrong control token (Authorization: Bearer <contents of " + ControlToken.FILE_NAME + " in the data directory>)";
            }
            else {
                try {
                    status = 200;
                    message = switch (action) {
                        case "pause" -> control.pause();
                        case "resume" -> control.resume();
                        case "reload" -> control.reload();
                        default -> {
                            status = 404;
                            yield "unknown control action '" + action + "'; use pause, resume or reload";
                        }
                    };
                }
                catch (Exception e) {
                    status = 409;
                    message = String.valueOf(e.getMessage());
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ok", status == 200);
            answer.put("message", secrets.redact(message));
            String body = jsonValue(answer) + "\n";
            return Response.text(status, JSON_TYPE, body).withHeaders(headers);
        }

        private static Response error(int status, String message)
        {
            return Response.text(status, JSON_TYPE, "{\"error\":" + jsonString(message) + "}\n");
        }
    }

    /**
     * Whether a {@code Host} header ({@code host[:port]}) names the loopback interface without a resolver: a name
     * could be made to point here by whoever controls its DNS.
     */
    static boolean isLoopbackHost(String hostHeader)
    {
        String host = hostHeader.strip();
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0 || (close + 1 < host.length() && !host.substring(close + 1).matches(":\\d{1,5}"))) {
                return false;
            }
            host = host.substring(1, close);
        }
        else {
            int colon = host.indexOf(':');
            if (colon >= 0) {
                if (!host.substring(colon + 1).matches("\\d{1,5}")) {
                    return false;
                }
                host = host.substring(0, colon);
            }
        }
        return LoopbackHost.isLiteral(host);
    }

    private static String toJson(Agent agent)
    {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(agent.status()) + "\n";
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code text} as a JSON string literal, quotes included. */
    static String jsonString(String text)
    {
        return jsonValue(text);
    }

    private static String jsonValue(Object value)
    {
        try {
            return JSON.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port()
    {
        return server.address().getPort();
    }

    public InetSocketAddress address()
    {
        return server.address();
    }

    /** Serialises a status report the same way {@code /status} does. */
    public static ObjectMapper json()
    {
        return JSON;
    }

    @Override
    public void close()
    {
        server.close();
    }
}
