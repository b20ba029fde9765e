package io.outrider.plugin.fim;

import io.outrider.plugin.fim.FileChange.Action;
import io.outrider.plugin.fim.FileState.HashState;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Builds the input's events. Every event has {@code event.module=fim}, {@code event.category=file},
 * {@code event.action}, {@code event.severity} and {@code host.name}.
 *
 * <p>File events describe the path as it is now (as it was, for {@code deleted}): {@code file.path},
 * {@code file.type}, {@code file.hash.sha256} (plain lower-case hex; encoders that want {@code sha256:<hex>} add
 * the prefix), {@code file.size}, {@code file.mtime} (ISO-8601), {@code file.owner}, {@code file.group},
 * {@code file.uid}, {@code file.gid}, {@code file.mode} (octal text, {@code 0644}), {@code file.inode};
 * {@code fim.changes} lists what changed and {@code fim.previous.*} (with {@code file.hash.sha256_previous}) the
 * values before the change.
 */
final class FimEvents
{
    static final String MODULE = "fim";
    static final String FIELD_HASH_PREVIOUS = "file.hash.sha256_previous";
    static final String FIELD_CHANGES = "fim.changes";
    static final String HIGH = "high";

    private final String hostName;
    private final String severity;
    private final PathSelection selection;
    private final Clock clock;

    FimEvents(String hostName, String severity, PathSelection selection, Clock clock)
    {
        this.hostName = requireNonNull(hostName, "hostName is null");
        this.severity = requireNonNull(severity, "severity is null");
        this.selection = requireNonNull(selection, "selection is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Event fileChange(FileChange change)
    {
        FileState described = change.current() != null ? change.current() : change.previous();
        Path path = Path.of(described.path());
        Event.Builder event = common(change.action().label(), change.action().eventType(), selection.isAgentFile(path) ? HIGH : severity);
        event.field(Fields.FILE_PATH, described.path());
        event.field("file.type", described.type().label());
        FileState current = change.current();
        if (change.action() == Action.DELETED) {
            event.field(Fields.FILE_HASH_SHA256, described.sha256());
        }
        else if (current.hashState() == HashState.HASHED) {
            event.field(Fields.FILE_HASH_SHA256, current.sha256());
        }
        if (change.action() == Action.MODIFIED && change.previous().sha256() != null
                && (current.hashState() == HashState.HASHED || current.hashState() == HashState.UNSTABLE)) {
            event.field(FIELD_HASH_PREVIOUS, change.previous().sha256());
        }
        event.field(Fields.FILE_SIZE, described.size());
        event.field(Fields.FILE_MTIME, described.mtime().toString());
        event.field("file.ctime", described.ctime().toString());
        event.field(Fields.FILE_OWNER, described.owner());
        event.field(Fields.FILE_GROUP, described.group());
        event.field("file.uid", Integer.toString(described.uid()));
        event.field("file.gid", Integer.toString(described.gid()));
        event.field(Fields.FILE_MODE, described.modeText());
        event.field(Fields.FILE_INODE, Long.toString(described.inode()));
        event.field("file.target_path", described.linkTarget());
        if (change.action() == Action.MODIFIED || change.action() == Action.ATTRIBUTES_CHANGED || change.action() == Action.ERROR) {
            event.field(FIELD_CHANGES, change.changes());
            if (change.previous() != null) {
                addPrevious(event, change.previous(), change.changes());
            }
        }
        StringBuilder message = new StringBuilder(change.action().label()).append(' ').append(described.path());
        if (current != null) {
            switch (current.hashState()) {
                case TOO_LARGE -> event.field("fim.hashed", false).field("fim.hash_skipped", "larger than max_hash_size");
                case UNSTABLE -> event.field("fim.hashed", false).field("fim.unstable", true);
                case UNREADABLE -> {
                    event.field("fim.hashed", false).field("error.message", "cannot read " + described.path() + ": " + current.error())
                            .field(Fields.EVENT_OUTCOME, Fields.OUTCOME_FAILURE);
                    message.append(": ").append(current.error());
                }
                default -> {}
            }
        }
        if (!change.changes().isEmpty()) {
            message.append(" (").append(String.join(", ", change.changes())).append(')');
        }
        return event.message(message.toString()).build();
    }

    /** A directory that could not be listed or a path whose attributes could not be read. */
    Event pathError(Path path, String reason)
    {
        String shown = PathNames.display(path);
        return common(Action.ERROR.label(), Action.ERROR.eventType(), selection.isAgentFile(path) ? HIGH : severity)
                .field(Fields.FILE_PATH, shown)
                .field("error.message", "cannot read " + shown + ": " + reason)
                .field(Fields.EVENT_OUTCOME, Fields.OUTCOME_FAILURE)
                .message("error " + shown + ": " + reason)
                .build();
    }

    /** Changes may have been missed: notifications were lost, or the baseline itself was. */
    Event gap(String reason, List<Path> roots, int losses)
    {
        List<String> rootTexts = new ArrayList<>();
        roots.forEach(root -> rootTexts.add(root.toString()));
        return common("gap", "info", roots.stream().anyMatch(selection::isAgentFile) ? HIGH : severity)
                .field(Fields.EVENT_REASON, reason)
                .field("fim.roots", rootTexts)
                .field("fim.losses", losses)
                .message("gap: " + reason)
                .build();
    }

    /** More files are selected than {@code max_files}. */
    Event limitReached(int maxFiles, String firstLeftOut)
    {
        String reason = "more than max_files (" + maxFiles + ") files are selected: the files already in the baseline stay monitored, new ones"
                + " beyond the limit are not (the first is this one); raise max_files (the scan's fim.scan.unmonitored says how many more there are)";
        return common(Action.ERROR.label(), Action.ERROR.eventType(), severity)
                .field(Fields.FILE_PATH, firstLeftOut)
                .field("error.message", reason)
                .field(Fields.EVENT_OUTCOME, Fields.OUTCOME_FAILURE)
                .message("max_files reached at " + firstLeftOut + ": " + reason)
                .build();
    }

    /**
     * The end of a full scan, with what it found: the round-complete event of the SPI ({@link Fields#OUTRIDER_ROUND_COMPLETE}),
     * emitted with the scan's checkpoints after every change of the scan was committed, its summary under {@code fim.scan.}.
     */
    Event scanComplete(ScanSummary summary)
    {
        return common("scan_complete", "info", severity)
                .field(Fields.OUTRIDER_ROUND_COMPLETE, true)
                .field("fim.scan.reason", summary.reason())
                .field("fim.scan.files", summary.files())
                .field("fim.scan.agent_files", summary.agentFiles())
                .field("fim.scan.unmonitored", summary.unmonitored())
                .field("fim.scan.bytes_hashed", summary.bytesHashed())
                .field("fim.scan.duration_ms", summary.durationMillis())
                .field("fim.scan.created", summary.created())
                .field("fim.scan.modified", summary.modified())
                .field("fim.scan.deleted", summary.deleted())
                .field("fim.scan.attributes_changed", summary.attributesChanged())
                .field("fim.scan.errors", summary.errors())
                .message("scan_complete (" + summary.reason() + "): " + summary.files() + " files"
                        + (summary.unmonitored() == 0 ? "" : " (and " + summary.unmonitored() + " more beyond max_files, not monitored)") + ", " + summary.created() + " created, "
                        + summary.modified() + " modified, " + summary.deleted() + " deleted, " + summary.attributesChanged()
                        + " attributes changed, " + summary.errors() + " errors in " + summary.durationMillis() + " ms")
                .build();
    }

    private Event.Builder common(String action, String eventType, String eventSeverity)
    {
        return Event.builder()
                .timestamp(clock.instant())
                .field(Fields.EVENT_MODULE, MODULE)
                .field(Fields.EVENT_KIND, "event")
                .field(Fields.EVENT_CATEGORY, "file")
                .field("event.type", eventType)
                .field(Fields.EVENT_ACTION, action)
                .field(Fields.EVENT_SEVERITY, eventSeverity)
                .field(Fields.HOST_NAME, hostName);
    }

    private static void addPrevious(Event.Builder event, FileState previous, List<String> changes)
    {
        for (String change : changes) {
            switch (change) {
                case "type" -> event.field("fim.previous.type", previous.type().label());
                case "link_target" -> event.field("fim.previous.target_path", previous.linkTarget());
                case "size" -> event.field("fim.previous.size", previous.size());
                case "mtime" -> event.field("fim.previous.mtime", previous.mtime().toString());
                case "mode" -> event.field("fim.previous.mode", previous.modeText());
                case "owner" -> event.field("fim.previous.owner", previous.owner()).field("fim.previous.uid", Integer.toString(previous.uid()));
                case "group" -> event.field("fim.previous.group", previous.group()).field("fim.previous.gid", Integer.toString(previous.gid()));
                case "inode" -> event.field("fim.previous.inode", Long.toString(previous.inode()));
                default -> {}
            }
        }
    }

    /**
     * Counts of one full scan.
     *
     * @param reason why it ran: {@code baseline}, {@code startup}, {@code scheduled} or {@code overflow}
     * @param agentFiles how many of {@code files} are the agent's own configuration file and plugins ({@code watch_agent_files})
     */
    /** @param unmonitored files the scan found selected but left out, beyond {@code max_files} */
    record ScanSummary(String reason, long files, long agentFiles, long unmonitored, long bytesHashed, long durationMillis, long created, long modified,
            long deleted, long attributesChanged, long errors) {}
}
