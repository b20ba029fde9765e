package io.outrider.core.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the agent's directories (0700) and files (0600) readable by its own user only, whatever the umask: the
 * buffer holds every event not yet delivered, and a process started by hand with umask 022 would otherwise leave
 * them readable by every local user. On a file system without POSIX permissions (Windows) nothing is changed.
 */
public final class PrivateFiles
{
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /**
     * Creates {@code directory} and its missing parents 0700. A directory that already exists keeps its mode: it may
     * be shared ({@code /var/log}); what the agent puts in it is private by itself.
     */
    public static Path createDirectories(Path directory)
            throws IOException
    {
        Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return directory;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            if (isPosix(parent)) {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(DIRECTORY));
                // the mode given to mkdir is masked by the umask: set it again, it is ours now
                Files.setPosixFilePermissions(absolute, DIRECTORY);
            }
            else {
                Files.createDirectory(absolute);
            }
        }
        catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return directory;
    }

    /** Creates {@code file} empty and 0600 if it does not exist; an existing file is made 0600. */
    public static void createFile(Path file)
            throws IOException
    {
        if (!isPosix(file.toAbsolutePath().getParent())) {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            return;
        }
        try {
            FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE);
            Files.createFile(file, mode);
        }
        catch (FileAlreadyExistsException ignored) {
            // made private below
        }
        Files.setPosixFilePermissions(file, FILE);
    }

    /** Makes an existing file 0600 (files other code created, such as SQLite's -wal and -shm); absent ones are skipped. */
    public static void restrict(Path file)
            throws IOException
    {
        if (Files.exists(file) && isPosix(file.toAbsolutePath().getParent())) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    private static boolean isPosix(Path directory)
            throws IOException
    {
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
    }
}
