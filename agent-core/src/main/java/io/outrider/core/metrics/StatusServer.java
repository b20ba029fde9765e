package io.outrider.core.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.pipeline.Agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The read-only status endpoint on a loopback address: {@code /health}, {@code /status} (JSON) and {@code /metrics}
 * (Prometheus text). One small thread; refuses anything but GET and HEAD.
 */
public final class StatusServer
        implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final HttpServer server;

    private StatusServer(HttpServer server)
    {
        this.server = server;
    }

    /**
     * Serves on {@code listen} ({@code host:port}, a loopback host; port 0 picks a free one).
     *
     * @throws IllegalArgumentException when the host is not a loopback address
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
        requireNonNull(agent, "agent is null");
        int colon = listen.lastIndexOf(':');
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(listen.substring(colon + 1));
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("status endpoint must listen on a loopback address, not " + host);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "status-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/health", exchange -> respond(exchange, "application/json", () -> "{\"status\":\"ok\"}\n", secrets));
        server.createContext("/status", exchange -> respond(exchange, "application/json", () -> toJson(agent.get()), secrets));
        server.createContext("/metrics", exchange -> respond(exchange, "text/plain; version=0.0.4; charset=utf-8", () -> agent.get().metrics().scrape(), secrets));
        if (control != null && token != null) {
            server.createContext("/control/", exchange -> control(exchange, control, token, secrets));
        }
        server.start();
        return new StatusServer(server);
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

    private static void respond(HttpExchange exchange, String contentType, Supplier<String> body, SecretRegistry secrets)
            throws IOException
    {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes;
            int status = 200;
            try {
                bytes = secrets.redact(body.get()).getBytes(StandardCharsets.UTF_8);
            }
            catch (RuntimeException e) {
                status = 500;
                bytes = ("{\"error\":\"" + e.getClass().getSimpleName() + "\"}\n").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, method.equals("HEAD") ? -1 : bytes.length);
            if (!method.equals("HEAD")) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private static void control(HttpExchange exchange, AgentControl control, ControlToken token, SecretRegistry secrets)
            throws IOException
    {
        try (exchange) {
            int status;
            String message;
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                status = 405;
                message = "use POST";
            }
            else if (!token.matches(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                message = "missing or wrong control token (Authorization: Bearer <contents of " + ControlToken.FILE_NAME + " in the data directory>)";
            }
            else {
                String action = exchange.getRequestURI().getPath().substring("/control/".length());
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
            byte[] body = (JSON.writeValueAsString(java.util.Map.of("ok", status == 200, "message", secrets.redact(message))) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public int port()
    {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    /** Serialises a status report the same way {@code /status} does. */
    public static ObjectMapper json()
    {
        return JSON;
    }

    @Override
    public void close()
    {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
