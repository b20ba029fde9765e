package io.outrider.plugin.fim;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Helpers for building file trees and reading the input's events in tests. */
final class Trees
{
    static final Set<String> FILE_ACTIONS = Set.of("created", "modified", "deleted", "attributes_changed", "error");

    private Trees() {}

    /** Writes {@code content} to {@code path} (creating directories) with permissions {@code 0644}. */
    static Path write(Path path, String content)
            throws IOException
    {
        return write(path, content.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path path, byte[] content)
            throws IOException
    {
        Files.createDirectories(path.getParent());
        Files.write(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        return path;
    }

    static String sha256(String content)
    {
        return sha256(content.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] content)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        }
        catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The events about files (created, modified, deleted, attributes_changed, error). */
    static List<Event> fileEvents(List<Event> events)
    {
        return events.stream().filter(event -> FILE_ACTIONS.contains(event.fieldAsString(Fields.EVENT_ACTION))).collect(Collectors.toList());
    }

    /** The file events about {@code path}. */
    static List<Event> eventsOf(List<Event> events, Path path)
    {
        return fileEvents(events).stream().filter(event -> path.toString().equals(event.field(Fields.FILE_PATH))).collect(Collectors.toList());
    }

    /** {@code action path} of every file event, e.g. {@code "modified /tmp/x/a"}. */
    static List<String> actionsAndPaths(List<Event> events)
    {
        return fileEvents(events).stream().map(event -> event.field(Fields.EVENT_ACTION) + " " + event.field(Fields.FILE_PATH)).collect(Collectors.toList());
    }

    /** The {@code fim.changes} of an event, as text. */
    static List<String> changes(Event event)
    {
        return ((List<?>) event.field(FimEvents.FIELD_CHANGES)).stream().map(String::valueOf).collect(Collectors.toList());
    }

    static List<Event> withAction(List<Event> events, String action)
    {
        return events.stream().filter(event -> action.equals(event.field(Fields.EVENT_ACTION))).collect(Collectors.toList());
    }
}
