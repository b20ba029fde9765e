package io.outrider.plugin.file;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The checkpoint codec of the file input: what its keys and values mean, written and read in this one place so the
 * two cannot drift. A file's position is keyed by its {@link FileIdentity#key() identity}; its value is
 * {@code offset [#sequence] [path]}. Two keys belong to no file: {@value #STARTED_KEY} and {@value #SIBLINGS_KEY}.
 * Stateless; called on the input's thread.
 */
final class FilePositions
{
    /** The checkpoint that says this input has started before, so {@code read_from} no longer applies. */
    static final String STARTED_KEY = "started";
    /**
     * The checkpoint that says since when positions of files rotated beside their watched name are kept until the
     * files are gone: a rotated file modified since then that has none was never read.
     */
    static final String SIBLINGS_KEY = "rotated_files_known_since";

    private FilePositions() {}

    /**
     * A committed position: {@code key} is the identity, {@code value} is {@code offset [#sequence] [path]}.
     *
     * @param sequence 0 for a position saved before sequences existed
     * @param path null for a position saved without one
     */
    record SavedPosition(String key, String value, FileIdentity identity, long offset, long sequence, Path path)
    {
        SavedPosition
        {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
            requireNonNull(identity, "identity is null");
        }
    }

    /** Whether {@code key} is one of the checkpoints that belong to no file. */
    static boolean isInputKey(String key)
    {
        return key.equals(STARTED_KEY) || key.equals(SIBLINGS_KEY);
    }

    /** The value of a file's position. */
    static String format(long offset, long sequence, String path)
    {
        return offset + " #" + sequence + " " + path;
    }

    /** Reads a file's position; empty if the key or the value is not one this input writes (or wrote before). */
    static Optional<SavedPosition> parse(String key, String value)
    {
        Optional<FileIdentity> identity = FileIdentity.parseKey(key);
        if (identity.isEmpty()) {
            return Optional.empty();
        }
        int space = value.indexOf(' ');
        try {
            long offset = Long.parseLong(space < 0 ? value : value.substring(0, space));
            if (offset < 0) {
                return Optional.empty();
            }
            String rest = space < 0 ? "" : value.substring(space + 1);
            long sequence = 0;
            // paths are absolute, so '#' cannot start one; positions saved before sequences existed have none
            if (rest.startsWith("#")) {
                int end = rest.indexOf(' ');
                sequence = Long.parseLong(end < 0 ? rest.substring(1) : rest.substring(1, end));
                rest = end < 0 ? "" : rest.substring(end + 1);
            }
            if (sequence < 0) {
                return Optional.empty();
            }
            Path path = rest.isEmpty() ? null : Path.of(rest);
            return Optional.of(new SavedPosition(key, value, identity.get(), offset, sequence, path));
        }
        catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
