package io.outrider.core.cli;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.PipelineSpec;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.pipeline.InputSession;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/**
 * {@code outrider fim baseline|check -c FILE}: AIDE-style runs of the configuration's file integrity inputs from the
 * command line. {@code baseline} builds the baseline of an input that has none; {@code check} scans once, prints every
 * change and a summary table, and exits 1 when something changed. What a check finds is committed to the buffer like
 * any event, so the collector still receives it when the agent runs; the baseline the agent uses is the same one.
 */
@Command(name = "fim", description = "Build (baseline) or check (check; exit 1 when files changed) the file integrity baselines of the configuration's fim inputs, AIDE-style, with a summary table.")
final class FimCommand
        implements Callable<Integer>
{
    enum Action
    {
        BASELINE, CHECK
    }

    private static final String SCAN_COMPLETE = "scan_complete";

    @Parameters(index = "0", paramLabel = "baseline|check")
    Action action;

    @Mixin
    ConfigOptions config;

    @ParentCommand
    OutriderCommand outrider;

    @Option(names = "--input", paramLabel = "PIPELINE.ID", description = "only this fim input (default: every fim input)")
    String only;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT1H", description = "longest a scan may take (ISO-8601, default PT1H)")
    Duration timeout;

    @Override
    public Integer call()
            throws Exception
    {
        Optional<ConfigOptions.Resolved> resolved = config.resolve(outrider.cliEnvironment(), System.err);
        if (resolved.isEmpty()) {
            return 2;
        }
        LogSetup.forCommand(resolved.get().bootstrap().secrets(), outrider.logLevel(Level.WARNING));
        Optional<Bootstrap.Loaded> loaded = ConfigOptions.load(resolved.get(), System.err);
        if (loaded.isEmpty()) {
            return 2;
        }
        AgentSettings agent = loaded.get().configuration().agent();
        List<ComponentSpec> inputs = new ArrayList<>();
        List<PipelineSpec> pipelines = new ArrayList<>();
        for (PipelineSpec pipeline : loaded.get().configuration().pipelines()) {
            for (ComponentSpec input : pipeline.inputs()) {
                if (input.type().equals("fim") && (only == null || only.equals(input.qualifiedId()))) {
                    inputs.add(input);
                    pipelines.add(pipeline);
                }
            }
        }
        if (inputs.isEmpty()) {
            String configuration = resolved.get().source().describe();
            System.err.println(only == null ? "the configuration " + configuration + " has no input of type fim"
                    : "the configuration " + configuration + " has no fim input " + only + " (write PIPELINE.ID)");
            return 2;
        }
        if (agent.status().enabled() && agentAnswers(agent.status().listen())) {
            System.err.println("the agent is running (its status endpoint answers): its fim inputs already watch these files; stop it before a command-line " + action.name().toLowerCase(java.util.Locale.ROOT));
            return 2;
        }
        int changed = 0;
        try (SqliteBuffer buffer = SqliteBuffer.open(agent.dataDir(), agent.buffer(), Clock.systemUTC())) {
            for (int i = 0; i < inputs.size(); i++) {
                ComponentSpec input = inputs.get(i);
                boolean hasBaseline = !buffer.checkpoints(input.pipelineId(), input.id()).isEmpty();
                if (action == Action.BASELINE && hasBaseline) {
                    System.out.println(input.qualifiedId() + ": a baseline exists already; 'outrider fim check' compares against it");
                    continue;
                }
                if (action == Action.CHECK && !hasBaseline) {
                    System.out.println(input.qualifiedId() + ": no baseline yet; build it with 'outrider fim baseline'");
                    changed = Math.max(changed, 2);
                    continue;
                }
                AgentMetrics metrics = new AgentMetrics();
                InputSession.Outcome outcome;
                // a baseline of /usr hashes for a minute: a terminal sees it move, a log gets the summary below
                try (Progress progress = Progress.start(input.qualifiedId() + " " + action.name().toLowerCase(java.util.Locale.ROOT),
                        () -> String.format(java.util.Locale.ROOT, "%,d bytes hashed", metrics.counterValue("bytes_hashed", input.pipelineId(), input.id(), input.type())))) {
                    outcome = InputSession.run(loaded.get().configuration(), pipelines.get(i), input, buffer,
                            event -> SCAN_COMPLETE.equals(event.field(Fields.EVENT_ACTION)), timeout, metrics);
                }
                if (!outcome.conditionMet()) {
                    System.err.println(input.qualifiedId() + ": the scan did not complete within " + timeout + " (is summary_events turned off for this input? it must be on)");
                    return 1;
                }
                changed = Math.max(changed, report(input, outcome.events()));
            }
        }
        return changed;
    }

    /** Prints the changes and the summary; 1 when anything changed. */
    private int report(ComponentSpec input, List<Event> events)
    {
        Event summary = events.stream().filter(event -> SCAN_COMPLETE.equals(event.field(Fields.EVENT_ACTION))).reduce((first, second) -> second).orElseThrow();
        List<Event> changes = events.stream().filter(event -> !SCAN_COMPLETE.equals(event.field(Fields.EVENT_ACTION))).toList();
        System.out.println(input.qualifiedId() + " — " + (action == Action.BASELINE ? "baseline built" : "check"));
        for (Event change : changes) {
            Object what = change.field("fim.changes");
            System.out.printf("  %-19s %s%s%n", change.field(Fields.EVENT_ACTION), change.fieldAsString(Fields.FILE_PATH) == null ? change.message() : change.fieldAsString(Fields.FILE_PATH),
                    what == null ? "" : "  " + what);
        }
        System.out.printf("  %-22s %,d%n", "files", number(summary, "fim.scan.files"));
        System.out.printf("  %-22s %,d%n", "bytes hashed", number(summary, "fim.scan.bytes_hashed"));
        System.out.printf("  %-22s %,d%n", "created", number(summary, "fim.scan.created"));
        System.out.printf("  %-22s %,d%n", "modified", number(summary, "fim.scan.modified"));
        System.out.printf("  %-22s %,d%n", "deleted", number(summary, "fim.scan.deleted"));
        System.out.printf("  %-22s %,d%n", "attributes changed", number(summary, "fim.scan.attributes_changed"));
        System.out.printf("  %-22s %,d%n", "errors", number(summary, "fim.scan.errors"));
        System.out.printf("  %-22s %,d ms%n", "duration", number(summary, "fim.scan.duration_ms"));
        long found = number(summary, "fim.scan.created") + number(summary, "fim.scan.modified") + number(summary, "fim.scan.deleted")
                + number(summary, "fim.scan.attributes_changed");
        return action == Action.CHECK && found > 0 ? 1 : 0;
    }

    private static long number(Event event, String field)
    {
        Object value = event.field(field);
        return value instanceof Number ? ((Number) value).longValue() : 0;
    }

    private static boolean agentAnswers(String listen)
    {
        try {
            HttpResponse<Void> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://" + listen + "/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        }
        catch (Exception e) {
            return false;
        }
    }
}
