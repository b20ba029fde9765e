package io.outrider.core.cli;

import io.outrider.core.builtin.TerminalText;
import io.outrider.core.config.AgentConfiguration;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.PipelineSpec;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.pipeline.InputSession;
import io.outrider.core.plugin.ComponentKind;
import io.outrider.core.plugin.PluginRegistry;
import io.outrider.core.storage.DataDirectoryInUseException;
import io.outrider.core.storage.DataDirectoryLock;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.InputFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * One round of an input that works in rounds ({@link InputFactory#worksInRounds()}), run from the command line
 * outside a running agent: what {@code outrider run-once} and the deprecated {@code outrider fim} share. Which inputs
 * qualify, and where a round ends, come from the SPI ({@link Fields#OUTRIDER_ROUND_COMPLETE}), never from an input's
 * type or its own fields.
 */
final class InputRounds
{
    /** An input of the configuration and the pipeline it belongs to. */
    record Selected(PipelineSpec pipeline, ComponentSpec input)
    {
        Selected
        {
            requireNonNull(pipeline, "pipeline is null");
            requireNonNull(input, "input is null");
        }
    }

    /**
     * What one round emitted, as the input emitted it.
     *
     * @param events the round's events before its round-complete event
     * @param summary the round-complete event, with the round's summary
     */
    record Round(ComponentSpec input, List<Event> events, Event summary)
    {
        Round
        {
            requireNonNull(input, "input is null");
            events = List.copyOf(events);
            requireNonNull(summary, "summary is null");
        }
    }

    private InputRounds() {}

    static boolean worksInRounds(ComponentSpec input)
    {
        return input.factory().factory() instanceof InputFactory<?> factory && factory.worksInRounds();
    }

    static boolean isRoundComplete(Event event)
    {
        return Boolean.TRUE.equals(event.field(Fields.OUTRIDER_ROUND_COMPLETE));
    }

    /** Every input of the configuration that works in rounds, in the configuration's order. */
    static List<Selected> roundInputs(AgentConfiguration configuration)
    {
        List<Selected> selected = new ArrayList<>();
        for (PipelineSpec pipeline : configuration.pipelines()) {
            for (ComponentSpec input : pipeline.inputs()) {
                if (worksInRounds(input)) {
                    selected.add(new Selected(pipeline, input));
                }
            }
        }
        return List.copyOf(selected);
    }

    /** The input {@code qualifiedId} ({@code PIPELINE.ID}) of the configuration, whatever its type. */
    static Optional<Selected> find(AgentConfiguration configuration, String qualifiedId)
    {
        for (PipelineSpec pipeline : configuration.pipelines()) {
            for (ComponentSpec input : pipeline.inputs()) {
                if (input.qualifiedId().equals(qualifiedId)) {
                    return Optional.of(new Selected(pipeline, input));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Selects what a command runs: the input {@code only} when given, else every input that works in rounds; empty
     * after saying why on {@code err}.
     */
    static Optional<List<Selected>> select(AgentConfiguration configuration, PluginRegistry registry, String configurationName, String only, PrintStream err)
    {
        if (only != null) {
            Optional<Selected> found = find(configuration, only);
            if (found.isEmpty()) {
                err.println("the configuration " + configurationName + " has no input " + only + " (write PIPELINE.ID)");
                return Optional.empty();
            }
            if (!worksInRounds(found.get().input())) {
                err.println("input " + only + " does not work in rounds; run-once runs inputs that do" + suchAs(registry));
                return Optional.empty();
            }
            return Optional.of(List.of(found.get()));
        }
        List<Selected> all = roundInputs(configuration);
        if (all.isEmpty()) {
            err.println("the configuration " + configurationName + " has no input that works in rounds" + suchAs(registry));
            return Optional.empty();
        }
        return Optional.of(all);
    }

    /** {@code ", such as fim"}: the installed input types that work in rounds, for a message that names examples. */
    private static String suchAs(PluginRegistry registry)
    {
        List<String> types = registry.types(ComponentKind.INPUT).stream()
                .filter(type -> registry.find(ComponentKind.INPUT, type).map(found -> found.factory() instanceof InputFactory<?> factory && factory.worksInRounds()).orElse(false))
                .sorted()
                .toList();
        return types.isEmpty() ? " (no installed plugin has one)" : ", such as " + String.join(", ", types);
    }

    /**
     * Locks the agent's data directory for a command that runs inputs outside the agent; empty, after saying why on
     * {@code err} ({@code then} ends the sentence when another process holds it), when it cannot be had.
     */
    static Optional<DataDirectoryLock> lockDataDirectory(AgentSettings agent, String command, String then, PrintStream err)
    {
        try {
            return Optional.of(DataDirectoryLock.acquire(agent.dataDir(), command));
        }
        catch (DataDirectoryInUseException e) {
            err.println(e.getMessage() + ": " + then);
        }
        catch (IOException e) {
            err.println(e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Runs {@code selected} until its first round completes, through its pipeline's parsers into {@code buffer},
     * showing its counters on a terminal meanwhile.
     *
     * @return the round; empty, after saying so on {@code err}, when none completed within {@code timeout}
     * @throws Exception what creating or running the input threw before its round completed
     */
    static Optional<Round> runOnce(AgentConfiguration configuration, Selected selected, SqliteBuffer buffer, Duration timeout, String label, PrintStream err)
            throws Exception
    {
        ComponentSpec input = selected.input();
        AgentMetrics metrics = new AgentMetrics();
        InputSession.Outcome outcome;
        // a scan of /usr takes a minute: a terminal sees the input's counters move, a log gets the summary
        try (Progress progress = Progress.start(input.qualifiedId() + " " + label, () -> counters(metrics.counterValues(input.pipelineId(), input.id(), input.type())))) {
            outcome = InputSession.run(configuration, selected.pipeline(), input, buffer, InputRounds::isRoundComplete, timeout, metrics);
        }
        if (!outcome.conditionMet()) {
            err.println(input.qualifiedId() + ": no round completed within " + timeout + "; raise --timeout if a round takes longer, and check that no option of this "
                    + input.type() + " input turns off the event that ends its rounds (outrider plugins describe " + input.type() + ")");
            return Optional.empty();
        }
        List<Event> events = new ArrayList<>();
        for (Event event : outcome.events()) {
            if (isRoundComplete(event)) {
                return Optional.of(new Round(input, events, event));
            }
            events.add(event);
        }
        throw new IllegalStateException("the session met its condition without a round-complete event");
    }

    private static String counters(Map<String, Long> values)
    {
        String shown = values.entrySet().stream().filter(entry -> entry.getValue() != 0)
                .map(entry -> String.format(Locale.ROOT, "%s %,d", entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(", "));
        return shown.isEmpty() ? "working" : shown;
    }

    /**
     * Prints {@code header}, then each of the round's events on one line (its {@code event.action} and its
     * {@code file.path}, else its message), then every numeric field of the round's summary as a table.
     */
    static void print(Round round, String header, PrintStream out)
    {
        out.println(header);
        for (Event event : round.events()) {
            String action = event.fieldAsString(Fields.EVENT_ACTION);
            String path = event.fieldAsString(Fields.FILE_PATH);
            String what = path != null ? path : event.message() == null ? "" : event.message().lines().findFirst().orElse("");
            // a file name may hold a line feed and text that reads like another line of this list: escaped, it cannot
            out.printf(Locale.ROOT, "  %-19s %s%n", action == null ? "-" : TerminalText.escape(action), TerminalText.escape(what));
        }
        Map<String, Object> fields = round.summary().fields();
        List<String> numeric = fields.keySet().stream().filter(name -> fields.get(name) instanceof Number).toList();
        int width = numeric.stream().mapToInt(String::length).max().orElse(0);
        for (String name : numeric) {
            Number value = (Number) fields.get(name);
            String text = value instanceof Double || value instanceof Float ? value.toString() : String.format(Locale.ROOT, "%,d", value.longValue());
            out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", name, text);
        }
    }
}
