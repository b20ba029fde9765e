package io.outrider.core.cli;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.control.ControlToken;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A running agent's loopback status endpoint as a command reaches it: the address from the configuration's
 * {@code agent.status.listen} and, for what needs it ({@code /tap}, {@code /control/*}), the control token from the
 * data directory. Used by {@code outrider tap} and {@code outrider top}.
 */
final class AgentEndpoint
{
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final URI base;
    private final Optional<String> token;
    private final SecretRegistry secrets;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /** Why no endpoint could be reached, with the exit code the command ends with. */
    static final class Unavailable
            extends Exception
    {
        private final int exitCode;

        Unavailable(int exitCode, String message)
        {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode()
        {
            return exitCode;
        }
    }

    private AgentEndpoint(URI base, Optional<String> token, SecretRegistry secrets)
    {
        this.base = requireNonNull(base, "base is null");
        this.token = requireNonNull(token, "token is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    /**
     * Finds the endpoint of the agent that runs {@code configuration}; problems loading the configuration are
     * printed to {@code err}.
     *
     * @throws Unavailable exit 2 when the configuration is invalid, 3 when the endpoint is off or the token cannot
     *         be read
     */
    static AgentEndpoint locate(ConfigOptions.Resolved resolved, boolean withToken, PrintStream err)
            throws Unavailable
    {
        // the agent section only: the pipelines' secrets are the service's, and need not be readable here
        Optional<AgentSettings> settings = ConfigOptions.loadAgentSettings(resolved, err);
        if (settings.isEmpty()) {
            throw new Unavailable(2, null);
        }
        AgentSettings agent = settings.get();
        if (!agent.status().enabled()) {
            throw new Unavailable(3, "the status endpoint is off in the configuration " + resolved.source().describe()
                    + "; set agent.status.enabled: true and restart the agent, or name the agent's configuration with -c");
        }
        Optional<String> token = Optional.empty();
        if (withToken) {
            try {
                token = Optional.of(ControlToken.read(agent.dataDir()));
            }
            catch (IOException e) {
                throw new Unavailable(3, "cannot read " + agent.dataDir().resolve(ControlToken.FILE_NAME) + " (" + e.getClass().getSimpleName()
                        + "); is the agent running, and may this user read its data directory?");
            }
        }
        return new AgentEndpoint(URI.create("http://" + agent.status().listen()), token, resolved.bootstrap().secrets());
    }

    /**
     * {@code GET path} (with its query), answered within {@code timeout}.
     *
     * @throws Unavailable exit 3 when no agent answers
     */
    HttpResponse<String> get(String pathAndQuery, Duration timeout)
            throws Unavailable, InterruptedException
    {
        URI target = base.resolve(pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout).GET();
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new Unavailable(3, "no agent answers at " + base.resolve(pathAndQuery.replaceFirst("\\?.*", "")) + " (" + e.getClass().getSimpleName()
                    + "); is it running with agent.status.enabled: true?");
        }
    }

    URI base()
    {
        return base;
    }

    SecretRegistry secrets()
    {
        return secrets;
    }
}
