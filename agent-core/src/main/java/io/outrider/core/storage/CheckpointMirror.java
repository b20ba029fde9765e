package io.outrider.core.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A copy of the inputs' checkpoints in a small file beside the buffer ({@value #FILE_NAME}), so that a buffer that
 * is lost (deleted, emptied, its WAL gone, or moved aside as damaged) does not take the inputs' positions with it:
 * inputs resume where the copy says instead of at their configured start. The copy holds, per pipeline, positions
 * whose events had all been delivered (see {@link DeliveredCheckpoints}), not the latest committed ones, which lie
 * after the events still undelivered in the buffer: a resume from it reads some lines again (at least once), it
 * never skips any.
 */
final class CheckpointMirror
{
    static final String FILE_NAME = "checkpoints.json";
    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /**
     * @param bufferId the buffer these checkpoints were committed to
     * @param lastSeq the buffer's highest sequence number when they were copied
     * @param checkpoints pipeline, then component, then key to value: positions whose events were all delivered
     */
    record Snapshot(String bufferId, long lastSeq, Map<String, Map<String, Map<String, String>>> checkpoints)
    {
        Snapshot
        {
            requireNonNull(bufferId, "bufferId is null");
            checkpoints = checkpoints == null ? Map.of() : checkpoints;
        }
    }

    private final Path file;

    CheckpointMirror(Path dataDirectory)
    {
        this.file = dataDirectory.resolve(FILE_NAME);
    }

    Path file()
    {
        return file;
    }

    /** The copy, if there is one. @throws IOException when it exists but cannot be read or is not a copy */
    Optional<Snapshot> read()
            throws IOException
    {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), Snapshot.class));
        }
        catch (JsonProcessingException e) {
            throw new IOException(file + " is not a checkpoint copy: " + e.getOriginalMessage(), e);
        }
        catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(file + " is not a checkpoint copy: " + e.getMessage(), e);
        }
    }

    /** Replaces the copy atomically: a crash leaves the old one or the new one, never a part. */
    void write(Snapshot snapshot)
            throws IOException
    {
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(temporary);
        PrivateFiles.createFile(temporary);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(snapshot)));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
