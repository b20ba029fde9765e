package io.outrider.core.cli;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.storage.DataDirectoryLock;
import io.outrider.core.storage.SqliteBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/**
 * {@code outrider fim baseline|check -c FILE}, deprecated: kept for one minor version as an alias of
 * {@link RunOnceCommand outrider run-once} and removed after it. It runs the inputs run-once runs (those that work in
 * rounds; it never looks at a type name): {@code baseline} those with no committed checkpoints yet (a first round
 * builds a baseline), {@code check} those with some, exiting 1 when a round emitted events. Only its name and its
 * messages still speak of file integrity, so that scripts written for it keep working until they move to run-once.
 */
@Command(name = "fim", description = "Deprecated, use run-once: build (baseline) or check (check; exit 1 when files changed) the baselines "
        + "of the inputs that work in rounds, such as fim, with a summary table.")
final class FimCommand
        implements Callable<Integer>
{
    static final String DEPRECATION = "outrider fim is deprecated and will be removed in the next minor version: use 'outrider run-once' "
            + "(its first round of an input builds the baseline; 'outrider run-once --exit-code' checks)";

    enum Action
    {
        BASELINE, CHECK;

        String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Parameters(index = "0", paramLabel = "baseline|check")
    Action action;

    @Mixin
    ConfigOptions config;

    @ParentCommand
    OutriderCommand outrider;

    @Option(names = "--input", paramLabel = "PIPELINE.ID", description = "only this input (default: every input that works in rounds)")
    String only;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT1H", description = "longest a scan may take (ISO-8601, default PT1H)")
    Duration timeout;

    @Override
    public Integer call()
            throws Exception
    {
        System.err.println(DEPRECATION);
        Optional<ConfigOptions.Resolved> resolved = config.resolve(outrider.cliEnvironment(), System.err);
        if (resolved.isEmpty()) {
            return 2;
        }
        LogSetup.forCommand(resolved.get().bootstrap().secrets(), outrider.logLevel(Level.WARNING));
        Optional<Bootstrap.Loaded> loaded = ConfigOptions.load(resolved.get(), System.err);
        if (loaded.isEmpty()) {
            return 2;
        }
        Optional<List<InputRounds.Selected>> selected = InputRounds.select(loaded.get().configuration(), loaded.get().registry(),
                resolved.get().source().describe(), only, System.err);
        if (selected.isEmpty()) {
            return 2;
        }
        AgentSettings agent = loaded.get().configuration().agent();
        Optional<DataDirectoryLock> lock = InputRounds.lockDataDirectory(agent, "outrider fim " + action.label(),
                "its inputs already watch these files; stop it before a command-line " + action.label(), System.err);
        if (lock.isEmpty()) {
            return 2;
        }
        int result = 0;
        try (DataDirectoryLock held = lock.get(); SqliteBuffer buffer = SqliteBuffer.open(agent.dataDir(), agent.buffer(), Clock.systemUTC())) {
            for (InputRounds.Selected selection : selected.get()) {
                ComponentSpec input = selection.input();
                boolean hasBaseline = !buffer.checkpoints(input.pipelineId(), input.id()).isEmpty();
                if (action == Action.BASELINE && hasBaseline) {
                    System.out.println(input.qualifiedId() + ": a baseline exists already; 'outrider fim check' compares against it");
                    continue;
                }
                if (action == Action.CHECK && !hasBaseline) {
                    System.out.println(input.qualifiedId() + ": no baseline yet; build it with 'outrider fim baseline'");
                    result = Math.max(result, 2);
                    continue;
                }
                Optional<InputRounds.Round> round = InputRounds.runOnce(loaded.get().configuration(), selection, buffer, timeout, action.label(), System.err);
                if (round.isEmpty()) {
                    return 1;
                }
                InputRounds.print(round.get(), input.qualifiedId() + " — " + (action == Action.BASELINE ? "baseline built" : "check"), System.out);
                if (action == Action.CHECK && !round.get().events().isEmpty()) {
                    result = Math.max(result, 1);
                }
            }
        }
        return result;
    }
}
