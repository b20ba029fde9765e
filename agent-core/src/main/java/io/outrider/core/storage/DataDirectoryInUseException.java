package io.outrider.core.storage;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** Another process (or command) holds the {@link DataDirectoryLock} of a data directory. */
public final class DataDirectoryInUseException
        extends Exception
{
    public DataDirectoryInUseException(Path dataDirectory, String holder)
    {
        super("data_dir " + requireNonNull(dataDirectory, "dataDirectory is null") + " is in use by " + requireNonNull(holder, "holder is null"));
    }
}
