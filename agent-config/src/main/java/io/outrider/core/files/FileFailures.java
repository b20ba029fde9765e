package io.outrider.core.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * An I/O failure on a file in a few words, for a message that already names the file: the JDK's message of an
 * {@link AccessDeniedException} or a {@link NoSuchFileException} is the path alone, which says nothing next to it.
 * Thread-safe (stateless).
 */
public final class FileFailures
{
    private FileFailures() {}

    /**
     * "permission denied", "no such file or directory", or the exception's message; with the path the failure was
     * on when that is not {@code about} (a parent directory that could not be created, say).
     */
    public static String reason(IOException failure, Path about)
    {
        if (failure instanceof FileSystemException fileFailure) {
            String on = fileFailure.getFile() == null || Path.of(fileFailure.getFile()).equals(about) ? "" : " on " + fileFailure.getFile();
            if (failure instanceof AccessDeniedException) {
                return "permission denied" + on;
            }
            if (failure instanceof NoSuchFileException) {
                return "no such file or directory" + on;
            }
            if (failure instanceof FileAlreadyExistsException) {
                // what is in the way of a file or directory to be made
                return on.isEmpty() ? "it already exists" : fileFailure.getFile() + " already exists";
            }
            if (fileFailure.getReason() != null) {
                return fileFailure.getReason() + on;
            }
        }
        return String.valueOf(failure.getMessage());
    }

    /**
     * What a component's failure says to an operator: a file failure in words with its path ("no such file or
     * directory on /proc/nope", where the JDK's message is the path alone), the exception's message otherwise, and
     * its class's name when it has none.
     */
    public static String message(Throwable failure)
    {
        if (failure instanceof FileSystemException fileFailure && fileFailure.getFile() != null) {
            return reason(fileFailure, null);
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
