package io.outrider.core.storage;

import io.outrider.core.files.PrivateFiles;
import io.outrider.support.JsonReader;
import io.outrider.support.JsonWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
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
 *
 * <p>Written and read with plugin-support's small JSON writer and reader, not Jackson's data binding: the agent
 * writes this file about once a second for as long as it runs, and Jackson's binding costs some 500 classes and 4 MB
 * of metaspace that an idle agent otherwise never loads.
 */
final class CheckpointMirror
{
    static final String FILE_NAME = "checkpoints.json";

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
            return Optional.of(parse(JsonReader.parse(Files.readString(file, StandardCharsets.UTF_8))));
        }
        catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IOException(file + " is not a checkpoint copy: " + e.getMessage(), e);
        }
    }

    private static Snapshot parse(Object document)
    {
        Map<?, ?> root = (Map<?, ?>) document;
        Object bufferId = root.get("buffer_id");
        Object lastSeq = root.get("last_seq");
        if (!(bufferId instanceof String) || !(lastSeq instanceof Long)) {
            throw new IllegalArgumentException("no buffer_id or last_seq");
        }
        Map<String, Map<String, Map<String, String>>> checkpoints = new LinkedHashMap<>();
        Object all = root.get("checkpoints");
        if (all != null) {
            for (Map.Entry<?, ?> pipeline : ((Map<?, ?>) all).entrySet()) {
                Map<String, Map<String, String>> components = new LinkedHashMap<>();
                for (Map.Entry<?, ?> component : ((Map<?, ?>) pipeline.getValue()).entrySet()) {
                    Map<String, String> entries = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> entry : ((Map<?, ?>) component.getValue()).entrySet()) {
                        entries.put((String) entry.getKey(), (String) entry.getValue());
                    }
                    components.put((String) component.getKey(), entries);
                }
                checkpoints.put((String) pipeline.getKey(), components);
            }
        }
        return new Snapshot((String) bufferId, (Long) lastSeq, checkpoints);
    }

    private static byte[] toJson(Snapshot snapshot)
    {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("buffer_id", snapshot.bufferId());
        root.put("last_seq", snapshot.lastSeq());
        root.put("checkpoints", snapshot.checkpoints());
        StringBuilder out = new StringBuilder(256);
        JsonWriter.writeValue(out, root);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Replaces the copy atomically: a crash leaves the old one or the new one, never a part. */
    void write(Snapshot snapshot)
            throws IOException
    {
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(temporary);
        PrivateFiles.createFile(temporary);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(toJson(snapshot)));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
