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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/**
 * {@code outrider top}: per-component event rates of a running agent, from its {@code /status}, refreshed every
 * interval. On a terminal the screen is redrawn; otherwise (a pipe, a file) every refresh prints one plain line per
 * component, with the time in front, so the output can be read back and compared.
 */
@Command(name = "top", description = {
        "Show a running agent's inputs and outputs with their event rates, refreshed every interval: a table redrawn on a terminal, "
                + "one line per component and refresh otherwise. Ctrl-C stops it.",
        "Needs agent.status.enabled. Exit 3 when no agent answers."})
final class TopCommand
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
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Mixin
    ConfigOptions config;

    @ParentCommand
    OutriderCommand outrider;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2", description = "seconds between refreshes (default 2, at least 0.1)")
    double intervalSeconds;

    @Option(names = {"-n", "--iterations"}, paramLabel = "N", description = "stop after N refreshes (default: run until stopped)")
    Integer iterations;

    /** One component's counters at one moment. */
    record Sample(String key, String kind, String type, String state, long events, long skipped, long deadLetters, long backlog)
    {
    }

    @Override
    public Integer call()
            throws InterruptedException
    {
        if (!(intervalSeconds >= 0.1) || (iterations != null && iterations < 1)) {
            System.err.println("--interval must be at least 0.1 seconds and --iterations at least 1");
            return 2;
        }
        Optional<ConfigOptions.Resolved> resolved = config.resolve(outrider.cliEnvironment(), System.err);
        if (resolved.isEmpty()) {
            return 2;
        }
        LogSetup.forCommand(resolved.get().bootstrap().secrets(), outrider.logLevel(Level.SEVERE));
        try {
            AgentEndpoint endpoint = AgentEndpoint.locate(resolved.get(), false, System.err);
            return top(endpoint, System.out, System.console() != null);
        }
        catch (AgentEndpoint.Unavailable e) {
            if (e.getMessage() != null) {
                System.err.println(e.getMessage());
            }
            return e.exitCode();
        }
    }

    private int top(AgentEndpoint endpoint, PrintStream out, boolean terminal)
            throws AgentEndpoint.Unavailable, InterruptedException
    {
        Duration interval = Duration.ofNanos((long) (intervalSeconds * 1e9));
        Map<String, Sample> previous = samples(endpoint);
        long previousNanos = System.nanoTime();
        if (!terminal) {
            // once: a pipe or a file gets the columns' names as a comment line, which a reader of numbers skips
            out.println(PLAIN_HEADER);
        }
        for (int refresh = 1; iterations == null || refresh <= iterations; refresh++) {
            Thread.sleep(interval.toMillis());
            Map<String, Sample> current = samples(endpoint);
            long now = System.nanoTime();
            double seconds = (now - previousNanos) / 1e9;
            List<String> lines = render(previous, current, seconds);
            if (terminal) {
                out.print(CLEAR_SCREEN + "outrider top — " + endpoint.base() + " — every " + intervalSeconds + " s, Ctrl-C stops\n\n"
                        + String.format(Locale.ROOT, "%-32s %-7s %-10s %-12s %10s %10s %8s %8s %8s%n", "COMPONENT", "KIND", "TYPE", "STATE", "EVENTS", "EVENTS/S", "SKIPPED",
                                "DEAD", "BACKLOG"));
                lines.forEach(out::println);
            }
            else {
                String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
                lines.forEach(line -> out.println(time + " " + line.strip().replaceAll(" +", " ")));
            }
            out.flush();
            previous = current;
            previousNanos = now;
        }
        return 0;
    }

    static final String PLAIN_HEADER = "# time component kind type state events events/s skipped dead_letters backlog";

    static List<String> render(Map<String, Sample> previous, Map<String, Sample> current, double seconds)
    {
        List<String> lines = new ArrayList<>();
        for (Sample sample : current.values()) {
            Sample before = previous.get(sample.key());
            // a component that is new, or whose counter went back (the agent reloaded), has no rate yet
            String rate = before == null || sample.events() < before.events() || seconds <= 0
                    ? "-"
                    : String.format(Locale.ROOT, "%.1f", (sample.events() - before.events()) / seconds);
            lines.add(String.format(Locale.ROOT, "%-32s %-7s %-10s %-12s %10d %10s %8s %8s %8s", sample.key(), sample.kind(), sample.type(), sample.state(), sample.events(), rate,
                    sample.kind().equals("output") ? sample.skipped() : "-", sample.kind().equals("output") ? sample.deadLetters() : "-",
                    sample.kind().equals("output") ? sample.backlog() : "-"));
        }
        return lines;
    }

    private static Map<String, Sample> samples(AgentEndpoint endpoint)
            throws AgentEndpoint.Unavailable, InterruptedException
    {
        HttpResponse<String> response = endpoint.get("/status", Duration.ofSeconds(5));
        if (response.statusCode() != 200) {
            throw new AgentEndpoint.Unavailable(3, "status endpoint " + endpoint.base() + "/status answered HTTP " + response.statusCode());
        }
        JsonNode status;
        try {
            status = Json.MAPPER.readTree(response.body());
        }
        catch (IOException e) {
            throw new AgentEndpoint.Unavailable(3, "status endpoint " + endpoint.base() + "/status answered something that is not status JSON");
        }
        Map<String, Sample> samples = new java.util.LinkedHashMap<>();
        for (JsonNode pipeline : status.path("pipelines")) {
            String id = pipeline.path("id").asText();
            for (JsonNode input : pipeline.path("inputs")) {
                Sample sample = sample(id, "input", input, input.path("events_in").asLong());
                samples.put(sample.key(), sample);
            }
            for (JsonNode output : pipeline.path("outputs")) {
                Sample sample = sample(id, "output", output, output.path("events_out").asLong());
                samples.put(sample.key(), sample);
            }
        }
        return samples;
    }

    private static Sample sample(String pipeline, String kind, JsonNode component, long events)
    {
        // ids and types come from the agent's configuration; escaped all the same, they are printed to a terminal
        return new Sample(TerminalText.escape(pipeline + "." + component.path("id").asText()), kind, TerminalText.escape(component.path("type").asText()),
                TerminalText.escape(component.path("state").asText()), events, component.path("events_skipped").asLong(), component.path("dead_letters").asLong(),
                component.path("backlog_events").asLong());
    }
}
