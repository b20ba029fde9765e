package io.outrider.core.cli;

import io.outrider.core.config.SecretRegistry;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.storage.BufferInspector;
import io.outrider.core.storage.BufferedEvent;
import io.outrider.core.storage.EventCodec;
import io.outrider.core.storage.SqliteBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/**
 * {@code outrider buffer stats|inspect|verify}: look into the buffer read-only, with or without a running agent.
 * {@code verify} exits 1 when the buffer is damaged (and leaves it where it is: the agent moves it aside on start).
 */
@Command(name = "buffer", description = "Buffer statistics (stats), the oldest buffered events (inspect) or an integrity check (verify; exit 1 when damaged), read-only.")
final class BufferCommand
        implements Callable<Integer>
{
    enum Action
    {
        STATS, INSPECT, VERIFY
    }

    @Parameters(index = "0", paramLabel = "stats|inspect|verify", description = "what to do")
    Action action;

    @Mixin
    DataDirOptions dataDir;

    @ParentCommand
    OutriderCommand outrider;

    @Option(names = "--pipeline", description = "inspect: only this pipeline")
    String pipeline;

    @Option(names = "--limit", defaultValue = "20", description = "inspect: at most this many events (default 20)")
    int limit;

    @Override
    public Integer call()
    {
        LogSetup.forCommand(new SecretRegistry(), outrider.logLevel(Level.WARNING));
        Optional<Path> dir = dataDir.resolve(outrider.cliEnvironment());
        if (dir.isEmpty()) {
            return 2;
        }
        Path file = dir.get().resolve(SqliteBuffer.FILE_NAME);
        try (BufferInspector inspector = BufferInspector.open(file)) {
            switch (action) {
                case VERIFY -> {
                    List<String> findings;
                    try (Progress progress = Progress.start("verifying " + file, () -> "")) {
                        findings = inspector.verify();
                    }
                    if (findings.isEmpty()) {
                        System.out.println(file + ": ok");
                        return 0;
                    }
                    System.out.println(file + ": DAMAGED");
                    findings.forEach(finding -> System.out.println("  " + finding));
                    System.out.println("The agent moves a damaged buffer aside as " + SqliteBuffer.FILE_NAME + ".<time>.bad when it starts, and starts a new one.");
                    return 1;
                }
                case STATS -> {
                    // the blocks are compressed: the file is a fraction of the events' bytes the lines below count
                    System.out.println("buffer " + file + ", " + bytesOnDisk(file) + " bytes on disk (events count below as encoded, before compression)");
                    List<BufferInspector.PipelineStats> stats = inspector.stats();
                    if (stats.isEmpty()) {
                        System.out.println("  empty");
                    }
                    for (BufferInspector.PipelineStats pipelineStats : stats) {
                        System.out.printf("  pipeline %s: %d event(s), %d bytes, seq %d..%d%s, %d dead letter(s)%n", pipelineStats.pipeline(), pipelineStats.events(), pipelineStats.bytes(),
                                pipelineStats.firstSeq(), pipelineStats.lastSeq(),
                                pipelineStats.events() == 0 ? "" : ", oldest buffered " + Instant.ofEpochMilli(pipelineStats.oldestIngestedMillis()), pipelineStats.deadLetters());
                        for (BufferInspector.CursorStats cursor : pipelineStats.cursors()) {
                            System.out.printf("    output %s: delivered up to seq %d, %d to go%n", cursor.output(), cursor.seq(), cursor.backlog());
                        }
                    }
                    return 0;
                }
                default -> {
                    for (BufferedEvent event : inspector.oldest(pipeline, limit)) {
                        System.out.println("#" + event.seq() + " " + Instant.ofEpochMilli(event.ingestedMillis()) + " " + EventCodec.toJsonLine(event.event()));
                    }
                    return 0;
                }
            }
        }
        catch (SQLException | RuntimeException e) {
            System.out.println(file + ": " + (action == Action.VERIFY ? "DAMAGED: " : "cannot be read: ") + e.getMessage());
            return 1;
        }
    }

    /** The buffer's file and its write-ahead log, as they are now. */
    private static long bytesOnDisk(Path file)
    {
        long bytes = 0;
        for (Path part : List.of(file, file.resolveSibling(file.getFileName() + "-wal"))) {
            try {
                bytes += Files.size(part);
            }
            catch (IOException e) {
                // no write-ahead log: the last connection closed cleanly
            }
        }
        return bytes;
    }
}
