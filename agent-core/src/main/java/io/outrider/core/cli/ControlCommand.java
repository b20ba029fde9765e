package io.outrider.core.cli;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.control.ControlToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/** {@code outrider control pause|resume|reload}: asks a running agent through its loopback control endpoint. */
@Command(name = "control", description = "Pause or resume a running agent's inputs, or make it reload its configuration (needs agent.status.enabled and read access to its data directory's control.token).")
final class ControlCommand
        implements Callable<Integer>
{
    enum Action
    {
        PAUSE, RESUME, RELOAD
    }

    @Parameters(index = "0", paramLabel = "pause|resume|reload")
    Action action;

    @Mixin
    ConfigOptions config;

    @ParentCommand
    OutriderCommand outrider;

    @Override
    public Integer call()
            throws InterruptedException
    {
        Optional<ConfigOptions.Resolved> resolved = config.resolve(outrider.cliEnvironment(), System.err);
        if (resolved.isEmpty()) {
            return 2;
        }
        LogSetup.forCommand(resolved.get().bootstrap().secrets(), outrider.logLevel(Level.SEVERE));
        // the agent section only: the pipelines' secrets are the service's, and need not be readable here
        Optional<AgentSettings> settings = ConfigOptions.loadAgentSettings(resolved.get(), System.err);
        if (settings.isEmpty()) {
            return 2;
        }
        AgentSettings agent = settings.get();
        if (!agent.status().enabled()) {
            System.err.println("the control endpoint is off in the configuration " + resolved.get().source().describe()
                    + "; set agent.status.enabled: true and restart the agent, or name the agent's configuration with -c");
            return 3;
        }
        Path dataDir = agent.dataDir();
        String token;
        try {
            token = ControlToken.read(dataDir);
        }
        catch (IOException e) {
            System.err.println("cannot read " + dataDir.resolve(ControlToken.FILE_NAME) + " (" + e.getClass().getSimpleName() + "); is the agent running, and may this user read its data directory?");
            return 3;
        }
        URI target = URI.create("http://" + agent.status().listen() + "/control/" + action.name().toLowerCase(java.util.Locale.ROOT));
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            String message = StatusServerJson.message(response.body());
            (response.statusCode() == 200 ? System.out : System.err).println(message);
            return response.statusCode() == 200 ? 0 : 1;
        }
        catch (IOException e) {
            System.err.println("no agent answers at " + target + " (" + e.getClass().getSimpleName() + ")");
            return 3;
        }
    }

    /** Reads the {@code message} of a control answer. */
    static final class StatusServerJson
    {
        private StatusServerJson() {}

        static String message(String body)
        {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("message").asText(body);
            }
            catch (IOException e) {
                return body;
            }
        }
    }
}
