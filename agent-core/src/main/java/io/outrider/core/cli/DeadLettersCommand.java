package io.outrider.core.cli;

import io.outrider.core.logging.LogSetup;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.storage.DeadLetter;
import io.outrider.core.storage.EventCodec;
import io.outrider.core.storage.SqliteBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/** {@code outrider dead-letters list|replay|purge}: events collectors refused permanently. */
@Command(name = "dead-letters", description = "List, replay (deliver again) or purge the events collectors refused permanently.")
final class DeadLettersCommand
        implements Callable<Integer>
{
    enum Action
    {
        LIST, REPLAY, PURGE
    }

    @Parameters(index = "0", paramLabel = "list|replay|purge", description = "what to do")
    Action action;

    @Mixin
    DataDirOptions dataDir;

    @ParentCommand
    OutriderCommand outrider;

    @Option(names = "--pipeline", description = "only this pipeline")
    String pipeline;

    @Option(names = "--output", description = "only this output")
    String output;

    @Option(names = "--limit", defaultValue = "100", description = "list at most this many (default 100)")
    int limit;

    @Option(names = "--all-outputs", description = "replay: deliver to every output of the pipeline again, not only to the output that refused each event")
    boolean allOutputs;

    @Override
    public Integer call()
            throws IOException, SQLException
    {
        LogSetup.forCommand(new SecretRegistry(), outrider.logLevel(Level.WARNING));
        Optional<SqliteBuffer> opened = dataDir.open(outrider.cliEnvironment());
        if (opened.isEmpty()) {
            return 1;
        }
        try (SqliteBuffer buffer = opened.get()) {
            switch (action) {
                case LIST -> {
                    var letters = buffer.deadLetters(Optional.ofNullable(pipeline), Optional.ofNullable(output), limit);
                    for (DeadLetter letter : letters) {
                        System.out.println("#" + letter.id() + " " + Instant.ofEpochMilli(letter.failedAtMillis()) + " " + letter.pipeline() + "." + letter.output()
                                + " — " + letter.reason());
                        System.out.println("    " + EventCodec.toJsonLine(letter.event()));
                    }
                    System.out.println(letters.size() + " dead letter(s)" + (letters.size() == limit ? " (limit reached; use --limit)" : ""));
                }
                case REPLAY -> {
                    SqliteBuffer.DeadLetterReplay replay;
                    try (Progress progress = Progress.start("putting dead letters back into the buffer", () -> "")) {
                        replay = buffer.replayDeadLetters(Optional.ofNullable(pipeline), Optional.ofNullable(output),
                                allOutputs ? SqliteBuffer.ReplayTo.EVERY_OUTPUT : SqliteBuffer.ReplayTo.REFUSING_OUTPUT);
                    }
                    System.out.println(replay.replayed() + " dead letter(s) put back into the buffer; "
                            + (allOutputs ? "every output of their pipeline delivers them again" : "the output that refused each one delivers it again, no other output does")
                            + (replay.replayed() == 0 ? "" : " (an agent running now starts within " + SqliteBuffer.EXTERNAL_CHANGES_INTERVAL.toSeconds() + " s, another at its start)"));
                    replay.keptForGoneOutputs().forEach((refusedBy, count) -> System.out.println(count + " dead letter(s) of " + refusedBy
                            + " kept: that output is no longer configured; replay them with --all-outputs to send them to every output of the pipeline, or purge them"));
                }
                case PURGE -> System.out.println(buffer.purgeDeadLetters(Optional.ofNullable(pipeline), Optional.ofNullable(output)) + " dead letter(s) deleted");
            }
        }
        return 0;
    }
}
