package io.outrider.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outrider.core.control.ControlToken;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Talks to a running agent through its loopback endpoint: {@code GET /status}, and {@code POST /control/<action>}
 * with the token from {@code <data_dir>/control.token} (readable only by the agent's user and root, which is what
 * keeps other local users from pausing the agent).
 */
public final class AgentClient
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Path dataDir;
    private final HttpClient http;

    /** @param listen the agent's {@code agent.status.listen} ({@code host:port}) */
    public AgentClient(String listen, Path dataDir)
    {
        this.base = URI.create("http://" + requireNonNull(listen, "listen is null"));
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    public URI statusUri()
    {
        return base.resolve("/status");
    }

    /** The agent's status; empty when nothing answers, or answers something else than status JSON. */
    public Optional<JsonNode> status()
            throws InterruptedException
    {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(statusUri()).timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode node = JSON.readTree(response.body());
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /** What the agent answered to a control request, or why there was no answer. */
    public record ControlAnswer(boolean ok, String message)
    {
        public ControlAnswer
        {
            requireNonNull(message, "message is null");
        }
    }

    /** {@code POST /control/<action>} ({@code pause}, {@code resume} or {@code reload}). */
    public ControlAnswer control(String action)
            throws InterruptedException
    {
        String token;
        try {
            token = ControlToken.read(dataDir);
        }
        catch (IOException e) {
            return new ControlAnswer(false, "cannot read " + dataDir.resolve(ControlToken.FILE_NAME) + " (" + e.getClass().getSimpleName()
                    + "); is the agent running, and may this user read its data directory?");
        }
        URI target = base.resolve("/control/" + action);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            return new ControlAnswer(response.statusCode() == 200, message(response.body()));
        }
        catch (IOException e) {
            return new ControlAnswer(false, "no agent answers at " + target + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String message(String body)
    {
        try {
            return JSON.readTree(body).path("message").asText(body.strip());
        }
        catch (IOException e) {
            return body.strip();
        }
    }
}
