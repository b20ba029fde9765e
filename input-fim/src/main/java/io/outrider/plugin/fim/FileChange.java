package io.outrider.plugin.fim;

import io.outrider.plugin.fim.FileState.FileType;
import io.outrider.plugin.fim.FileState.HashState;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A difference between a baseline row and a fresh observation of the same path, and what the baseline row becomes.
 *
 * @param action what happened
 * @param previous the baseline row, null for a new path
 * @param current the observation, null for a deleted path
 * @param changes what changed, in a fixed order: {@code content}, {@code type}, {@code link_target}, {@code size},
 *        {@code mtime}, {@code mode}, {@code owner}, {@code group}, {@code inode}
 */
record FileChange(Action action, FileState previous, FileState current, List<String> changes)
{
    FileChange
    {
        changes = List.copyOf(changes);
    }

    /** The {@code event.action} values of file events. */
    enum Action
    {
        CREATED("created", "creation"),
        MODIFIED("modified", "change"),
        DELETED("deleted", "deletion"),
        ATTRIBUTES_CHANGED("attributes_changed", "change"),
        ERROR("error", "info");

        private final String label;
        private final String eventType;

        Action(String label, String eventType)
        {
            this.label = label;
            this.eventType = eventType;
        }

        String label()
        {
            return label;
        }

        /** The ECS {@code event.type}. */
        String eventType()
        {
            return eventType;
        }
    }

    /**
     * What to report for {@code current} against the baseline row {@code previous}; null when nothing worth an event
     * changed (the row may still need an update, see {@link #baselineRow}).
     */
    static FileChange compare(FileState previous, FileState current)
    {
        if (current == null) {
            return previous == null ? null : new FileChange(Action.DELETED, previous, null, List.of());
        }
        if (previous == null) {
            return new FileChange(current.hashState() == HashState.UNREADABLE ? Action.ERROR : Action.CREATED, null, current, List.of());
        }
        if (current.hashState() == HashState.UNSTABLE && previous.hashState() == HashState.UNSTABLE) {
            // still being written: reported when it became unstable, reported again once it settles
            return null;
        }
        List<String> changes = new ArrayList<>();
        boolean content = contentChanged(previous, current);
        if (content && current.type() == previous.type() && current.type() != FileType.SYMLINK) {
            changes.add("content");
        }
        if (current.type() != previous.type()) {
            changes.add("type");
        }
        if (current.type() == FileType.SYMLINK && previous.type() == FileType.SYMLINK && !Objects.equals(previous.linkTarget(), current.linkTarget())) {
            changes.add("link_target");
        }
        if (previous.size() != current.size()) {
            changes.add("size");
        }
        if (previous.mtimeNanos() != current.mtimeNanos()) {
            changes.add("mtime");
        }
        addPermissionChanges(previous, current, changes);
        if (previous.inode() != current.inode()) {
            changes.add("inode");
        }
        if (current.hashState() == HashState.UNREADABLE) {
            boolean sameError = previous.hashState() == HashState.UNREADABLE && Objects.equals(previous.error(), current.error());
            return sameError && changes.isEmpty() ? null : new FileChange(Action.ERROR, previous, current, changes);
        }
        if (changes.isEmpty()) {
            return null;
        }
        return new FileChange(content || current.type() != previous.type() ? Action.MODIFIED : Action.ATTRIBUTES_CHANGED, previous, current, changes);
    }

    /**
     * What to report for a directory: only its type, mode and owners. Its size and times change with every file
     * made or removed in it (each reported for itself), and a directory appearing or going is not reported.
     */
    static FileChange compareDirectory(FileState previous, FileState current)
    {
        if (previous.type() != FileType.DIRECTORY) {
            return compare(previous, current);
        }
        List<String> changes = new ArrayList<>();
        addPermissionChanges(previous, current, changes);
        return changes.isEmpty() ? null : new FileChange(Action.ATTRIBUTES_CHANGED, previous, current, changes);
    }

    private static void addPermissionChanges(FileState previous, FileState current, List<String> changes)
    {
        if (previous.mode() != current.mode()) {
            changes.add("mode");
        }
        if (previous.uid() != current.uid()) {
            changes.add("owner");
        }
        if (previous.gid() != current.gid()) {
            changes.add("group");
        }
    }

    /**
     * The row the baseline keeps for {@code current}: an unreadable or unstable file keeps the last hash known, so
     * that the next successful read is compared with it.
     */
    static FileState baselineRow(FileState previous, FileState current)
    {
        if ((current.hashState() == HashState.UNREADABLE || current.hashState() == HashState.UNSTABLE) && previous != null && previous.sha256() != null) {
            return current.withContent(previous.sha256(), current.hashState(), current.error());
        }
        return current;
    }

    private static boolean contentChanged(FileState previous, FileState current)
    {
        if (current.type() != previous.type()) {
            return true;
        }
        return switch (current.type()) {
            case FILE -> switch (current.hashState()) {
                case HASHED -> previous.sha256() == null
                        ? previous.hashState() != HashState.TOO_LARGE || previous.size() != current.size() || previous.mtimeNanos() != current.mtimeNanos()
                        : !previous.sha256().equals(current.sha256());
                case TOO_LARGE -> previous.size() != current.size() || previous.mtimeNanos() != current.mtimeNanos();
                case UNSTABLE -> true;
                case UNREADABLE, NOT_REGULAR -> false;
            };
            case SYMLINK -> !Objects.equals(previous.linkTarget(), current.linkTarget());
            default -> false;
        };
    }
}
