package io.outrider.core.cli;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.storage.DataDirectoryLock;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/**
 * {@code outrider run-once [--input PIPELINE.ID] [--exit-code] [--timeout D] -c FILE}: one round of each input that
 * works in rounds (a file integrity scan, a poll), from the command line while the agent is stopped. Each runs until
 * its round-complete event ({@link Fields#OUTRIDER_ROUND_COMPLETE}); what it emits goes through its pipeline's parsers
 * into the buffer like the agent's own events, with the input's checkpoints, so the collector still receives it when
 * the agent runs and the agent goes on from where the round ended. The command prints each event of the round and the
 * numeric fields of its summary.
 *
 * <p>Exit codes: 0 when every round completed (and, with {@code --exit-code}, emitted nothing but its end); 1 with
 * {@code --exit-code} when a round emitted other events (a change, an error); 2 when nothing can run (configuration,
 * selection, a running agent); 3 when a round did not complete within {@code --timeout}.
 */
@Command(name = "run-once", description = "Run each input that works in rounds (such as a file integrity scan) for one round, "
        + "print the round's events and its summary, and commit them for the outputs (--exit-code: exit 1 when the round emitted events).")
final class RunOnceCommand
        implements Callable<Integer>
{
    static final int TIMED_OUT = 3;

    @Mixin
    ConfigOptions config;

    @ParentCommand
    OutriderCommand outrider;

    @Option(names = "--input", paramLabel = "PIPELINE.ID", description = "only this input (default: every input that works in rounds)")
    String only;

    @Option(names = "--exit-code", description = "exit 1 when a round emitted events besides the one that ends it (a change, an error)")
    boolean exitCode;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT1H", description = "longest a round may take (ISO-8601, default PT1H); exit 3 when one takes longer")
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
        Optional<List<InputRounds.Selected>> selected = InputRounds.select(loaded.get().configuration(), loaded.get().registry(),
                resolved.get().source().describe(), only, System.err);
        if (selected.isEmpty()) {
            return 2;
        }
        AgentSettings agent = loaded.get().configuration().agent();
        Optional<DataDirectoryLock> lock = InputRounds.lockDataDirectory(agent, "outrider run-once", "it runs these inputs already; stop it before 'outrider run-once'", System.err);
        if (lock.isEmpty()) {
            return 2;
        }
        boolean emitted = false;
        try (DataDirectoryLock held = lock.get(); SqliteBuffer buffer = SqliteBuffer.open(agent.dataDir(), agent.buffer(), Clock.systemUTC())) {
            for (InputRounds.Selected input : selected.get()) {
                Optional<InputRounds.Round> round = InputRounds.runOnce(loaded.get().configuration(), input, buffer, timeout, "round", System.err);
                if (round.isEmpty()) {
                    return TIMED_OUT;
                }
                int count = round.get().events().size();
                InputRounds.print(round.get(), input.input().qualifiedId() + " — round complete, " + count + (count == 1 ? " event" : " events"), System.out);
                emitted |= count > 0;
            }
        }
        return exitCode && emitted ? 1 : 0;
    }
}
