package io.outrider.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outrider.core.builtin.TerminalText;
import io.outrider.core.logging.LogSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/**
 * {@code outrider tap}: the events a running agent commits, as they come, one JSON line each, from its loopback
 * {@code /tap} endpoint (token-protected like control: events are the data the agent collects).
 */
@Command(name = "tap", description = {
        "Show the events a running agent's inputs commit, as they come: one JSON line each ({\"pipeline\",\"component\",\"event\"}), after its parsers, "
                + "with the configuration's secrets and URL queries masked as in its log (other text is shown as logged). Ctrl-C stops it.",
        "Needs agent.status.enabled and read access to the data directory's control.token. Exit 3 when no agent answers."})
final class TapCommand
        implements Callable<Integer>
{
    /**
     * Created on first use: picocli instantiates every command to build the command line, and an ObjectMapper made
     * at class initialisation would load Jackson's data binding into every {@code outrider run}, where it stays.
     */
    private static final class Json
    {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    /** Longer than the endpoint's own wait for events, so that a quiet agent is not mistaken for a dead one. */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_PER_POLL = 500;

    @Mixin
    ConfigOptions config;

    @ParentCommand
    OutriderCommand outrider;

    @Option(names = "--pipeline", paramLabel = "P", description = "only events of this pipeline")
    String pipeline;

    @Option(names = "--component", paramLabel = "C", description = "only events read by this input")
    String component;

    @Option(names = "--limit", paramLabel = "N", description = "stop after N events (default: run until stopped)")
    Integer limit;

    @Override
    public Integer call()
            throws InterruptedException
    {
        if (limit != null && limit < 1) {
            System.err.println("--limit must be at least 1");
            return 2;
        }
        Optional<ConfigOptions.Resolved> resolved = config.resolve(outrider.cliEnvironment(), System.err);
        if (resolved.isEmpty()) {
            return 2;
        }
        LogSetup.forCommand(resolved.get().bootstrap().secrets(), outrider.logLevel(Level.SEVERE));
        try {
            AgentEndpoint endpoint = AgentEndpoint.locate(resolved.get(), true, System.err);
            return tap(endpoint, System.out, System.err);
        }
        catch (AgentEndpoint.Unavailable e) {
            if (e.getMessage() != null) {
                System.err.println(e.getMessage());
            }
            return e.exitCode();
        }
    }

    private int tap(AgentEndpoint endpoint, PrintStream out, PrintStream err)
            throws AgentEndpoint.Unavailable, InterruptedException
    {
        long after = -1;
        long shown = 0;
        while (limit == null || shown < limit) {
            int ask = limit == null ? MAX_PER_POLL : (int) Math.min(MAX_PER_POLL, limit - shown);
            HttpResponse<String> response = endpoint.get("/tap?after=" + after + "&limit=" + ask + filter("pipeline", pipeline) + filter("component", component), POLL_TIMEOUT);
            JsonNode answer;
            try {
                answer = Json.MAPPER.readTree(response.body());
            }
            catch (IOException e) {
                err.println("the status endpoint " + endpoint.base() + " answered HTTP " + response.statusCode() + " with something that is not tap JSON");
                return 3;
            }
            if (response.statusCode() != 200) {
                err.println(endpoint.secrets().redact(answer.path("error").asText("HTTP " + response.statusCode())));
                return response.statusCode() == 404 ? 2 : 1;
            }
            if (answer.path("missed").asLong() > 0) {
                err.println("tap: " + answer.path("missed").asLong() + " event(s) came faster than tap could show them and are left out here (the agent keeps them)");
            }
            for (JsonNode event : answer.path("events")) {
                // standard output is usually a terminal: nothing from an event may reach it as a control character
                out.println(TerminalText.escapeJson(event.toString()));
                shown++;
            }
            out.flush();
            after = answer.path("next").asLong();
        }
        return 0;
    }

    private static String filter(String name, String value)
    {
        return value == null ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
