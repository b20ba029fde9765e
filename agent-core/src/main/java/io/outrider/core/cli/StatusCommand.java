package io.outrider.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.logging.LogSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/** {@code outrider status}: asks a running agent's loopback status endpoint and prints what it says. */
@Command(name = "status", description = "Show a running agent's state: pipelines, inputs, outputs, buffer. Exit 3 when no agent answers.")
final class StatusCommand
        implements Callable<Integer>
{
    @Mixin
    ConfigOptions config;

    @ParentCommand
    OutriderCommand outrider;

    @Option(names = "--url", paramLabel = "URL", description = "status endpoint (default: from the configuration's agent.status.listen)")
    URI url;

    @Option(names = "--json", description = "print the raw JSON")
    boolean json;

    @Override
    public Integer call()
            throws InterruptedException
    {
        Optional<ConfigOptions.Resolved> resolved = config.resolve(outrider.cliEnvironment(), System.err);
        if (resolved.isEmpty()) {
            return 2;
        }
        Bootstrap bootstrap = resolved.get().bootstrap();
        LogSetup.forCommand(bootstrap.secrets(), outrider.logLevel(Level.SEVERE));
        URI target = url;
        Optional<String> expectedConfig = Optional.empty();
        if (target == null) {
            // the agent section only: the pipelines' secrets are the service's, and need not be readable here
            Optional<AgentSettings> agent = ConfigOptions.loadAgentSettings(resolved.get(), System.err);
            if (agent.isEmpty()) {
                return 2;
            }
            if (!agent.get().status().enabled()) {
                System.err.println("the status endpoint is off in the configuration " + resolved.get().source().describe()
                        + "; set agent.status.enabled: true and restart the agent, or name the agent's configuration with -c");
                return 3;
            }
            target = URI.create("http://" + agent.get().status().listen() + "/status");
            expectedConfig = resolved.get().source().file().map(file -> file.toAbsolutePath().normalize().toString());
        }
        String body;
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.err.println("status endpoint " + target + " answered HTTP " + response.statusCode());
                return 3;
            }
            body = response.body();
        }
        catch (IOException e) {
            System.err.println("no agent answers at " + target + " (" + e.getClass().getSimpleName() + "); is it running with agent.status.enabled: true?");
            return 3;
        }
        try {
            JsonNode status = new ObjectMapper().readTree(body);
            String answering = status.path("config_file").asText("");
            if (expectedConfig.isPresent() && !answering.isEmpty() && !answering.equals(expectedConfig.get())) {
                // a walkthrough's second agent could not listen (the port was taken) and status showed the first one's data
                System.err.println("note: the agent answering at " + target.getAuthority() + " runs " + answering + ", not " + expectedConfig.get()
                        + ": it is another agent (is this configuration's agent running, and was its status port free?)");
            }
            System.out.print(json ? body : render(status, bootstrap.secrets()));
        }
        catch (IOException e) {
            System.err.println("status endpoint " + target + " answered something that is not status JSON");
            return 3;
        }
        return 0;
    }

    static String render(JsonNode status, SecretRegistry secrets)
    {
        StringBuilder text = new StringBuilder();
        text.append("outrider ").append(status.path("version").asText()).append(" on ").append(status.path("host").asText())
                .append(" — buffer ").append(status.path("buffer_state").asText()).append(", ")
                .append(status.path("buffer_bytes").asLong()).append(" of ").append(status.path("buffer_max_bytes").asLong()).append(" bytes\n");
        JsonNode refused = status.path("reload_refused");
        if (refused.isObject()) {
            text.append("reload refused at ").append(refused.path("at").asText()).append(", the previous configuration runs: ").append(refused.path("reason").asText())
                    .append("\n  (the configuration file is not what runs; a restart reads it as it is, and does not start while it is invalid)\n");
        }
        for (JsonNode pipeline : status.path("pipelines")) {
            text.append("\npipeline ").append(pipeline.path("id").asText())
                    .append(" (unmatched ").append(pipeline.path("unmatched_events").asLong())
                    .append(", dropped ").append(pipeline.path("dropped_events").asLong()).append(")\n");
            for (JsonNode input : pipeline.path("inputs")) {
                text.append(String.format("  input  %-20s %-10s %-12s in %d%s%n", input.path("id").asText(), input.path("type").asText(), input.path("state").asText(),
                        input.path("events_in").asLong(), error(input)));
                problems(text, input);
            }
            for (JsonNode output : pipeline.path("outputs")) {
                text.append(String.format("  output %-20s %-10s %-12s out %d, skipped %d, backlog %d, lag %.1f s, retries %d, dead letters %d%s%n",
                        output.path("id").asText(), output.path("type").asText(), output.path("state").asText(), output.path("events_out").asLong(),
                        output.path("events_skipped").asLong(),
                        output.path("backlog_events").asLong(), output.path("lag_seconds").asDouble(), output.path("retries").asLong(),
                        output.path("dead_letters").asLong(), error(output)));
                problems(text, output);
            }
        }
        return secrets.redact(text.toString());
    }

    /** The problems the component reported itself, a line each under it. */
    private static void problems(StringBuilder text, JsonNode component)
    {
        for (JsonNode problem : component.path("problems")) {
            text.append("         problem ").append(problem.path("key").asText()).append(" (since ").append(problem.path("since").asText()).append("): ")
                    .append(problem.path("detail").asText()).append('\n');
        }
    }

    private static String error(JsonNode component)
    {
        String error = component.path("last_error").asText("");
        String at = component.path("last_error_at").asText("");
        return error.isEmpty() ? "" : " — " + error + (at.isEmpty() || at.equals("null") ? "" : " (at " + at + ")");
    }
}
