package io.outrider.core.cli;

import io.outrider.core.config.SecretRegistry;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.storage.SqliteBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/** {@code outrider buffer stats|verify}: look at the buffer without a running agent. */
@Command(name = "buffer", description = "Buffer statistics (stats) or an integrity check (verify; exit 1 when damaged), without a running agent.")
final class BufferCommand
        implements Callable<Integer>
{
    enum Action
    {
        STATS, VERIFY
    }

    @Parameters(index = "0", paramLabel = "stats|verify", description = "what to do")
    Action action;

    @Mixin
    DataDirOptions dataDir;

    @Override
    public Integer call()
            throws IOException, SQLException
    {
        LogSetup.forCommand(new SecretRegistry(), Level.WARNING);
        Optional<SqliteBuffer> opened = dataDir.open();
        if (opened.isEmpty()) {
            return 1;
        }
        try (SqliteBuffer buffer = opened.get()) {
            if (action == Action.VERIFY) {
                String result = buffer.verify();
                System.out.println(buffer.file() + ": " + result);
                return "ok".equals(result) ? 0 : 1;
            }
            System.out.println("buffer " + buffer.file());
            System.out.println("  bytes buffered:        " + buffer.totalBytes());
            System.out.println("  last sequence number:  " + buffer.lastSeq());
            System.out.println("  damaged files set aside: " + buffer.quarantinedFiles());
            return 0;
        }
    }
}
