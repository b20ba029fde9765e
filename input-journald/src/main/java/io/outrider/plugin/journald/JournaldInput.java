package io.outrider.plugin.journald;

import io.outrider.support.ReadFrom;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics.Counter;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads the systemd journal through libsystemd and follows it, handing batches to the agent with the cursor of the
 * batch's last entry as the checkpoint {@value #CURSOR_KEY}.
 *
 * <p>Where it starts: right after the committed cursor when there is one; when that cursor's entry is no longer in
 * the journal (vacuumed, files replaced) or the text is not a cursor, it logs a warning, counts
 * {@value #CURSOR_FALLBACKS_METRIC} and starts from {@code cursor_fallback}; on a first start from {@code read_from}
 * (for {@code end} it commits the last entry's cursor at once, so a restart before the first new entry loses
 * nothing). The existence of the committed entry is checked before the filters apply, so changing the filters does
 * not count as a lost cursor.
 */
final class JournaldInput
        implements Input
{
    static final String CURSOR_KEY = "cursor";
    static final String CURSOR_FALLBACKS_METRIC = "cursor_fallbacks_total";
    static final String TRUNCATED_FIELDS_METRIC = "fields_truncated_total";
    static final String UNREADABLE_ENTRIES_METRIC = "entries_unreadable_total";
    // how long one wait for the journal lasts: bounds how late run() notices close()
    private static final Duration WAIT_SLICE = Duration.ofMillis(250);

    private final JournaldInputConfig config;
    private final ComponentContext context;
    private final System.Logger logger;
    private final JournalFilter filter;
    private final EntryMapper mapper;
    private final Counter cursorFallbacks;
    private final Counter truncatedFields;
    private final Counter unreadableEntries;
    private boolean unreadableReported;
    private volatile boolean closed;

    JournaldInput(JournaldInputConfig config, ComponentContext context)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.logger = context.logger();
        this.filter = JournalFilter.from(config);
        this.mapper = new EntryMapper(
                new FieldSelector(config.includeFields(), config.excludeFields()),
                (int) config.maxFieldSize().bytes(),
                context.hostName());
        this.cursorFallbacks = context.metrics().counter(CURSOR_FALLBACKS_METRIC,
                "Times the committed journal cursor was gone or invalid and cursor_fallback applied");
        this.truncatedFields = context.metrics().counter(TRUNCATED_FIELDS_METRIC,
                "Journal field values cut to max_field_size");
        this.unreadableEntries = context.metrics().counter(UNREADABLE_ENTRIES_METRIC,
                "Journal entries of which some fields could not be read (corrupt or unsupported compression)");
    }

    @Override
    public void run(Emitter emitter)
            throws Exception
    {
        requireNonNull(emitter, "emitter is null");
        if (closed) {
            return;
        }
        try (Journal journal = open()) {
            journal.setDataThreshold(mapper.datumLimit());
            String resumeCursor = position(journal, emitter);
            follow(journal, emitter, resumeCursor);
        }
        catch (InterruptedException e) {
            // the agent is stopping this input
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        closed = true;
    }

    private Journal open()
            throws IOException
    {
        if (config.directory() != null) {
            Journal journal = Journal.openDirectory(config.directory());
            reportUnreadable(unreadableJournalFiles(List.of(config.directory()), Files::isReadable));
            return journal;
        }
        if (!config.files().isEmpty()) {
            // journald deletes old files by itself: one that went must not keep the others from being read
            List<Path> present = config.files().stream().filter(Files::exists).toList();
            if (present.isEmpty() || present.size() == config.files().size()) {
                Journal journal = Journal.openFiles(config.files());
                reportUnreadable(unreadableJournalFiles(config.files(), Files::isReadable));
                return journal;
            }
            List<Path> missing = config.files().stream().filter(file -> !present.contains(file)).toList();
            logger.log(Level.WARNING, "journal file(s) " + missing + " do not exist (rotated away, or not there yet); reading the other "
                    + present.size() + ", and the missing ones once the input restarts and finds them");
            Journal journal = Journal.openFiles(present);
            reportUnreadable(unreadableJournalFiles(present, Files::isReadable));
            return journal;
        }
        Journal journal = Journal.openSystem();
        reportUnreadable(unreadableJournalFiles(SYSTEM_JOURNAL_DIRECTORIES, Files::isReadable));
        return journal;
    }

    /** Where systemd-journald keeps the system journal: persistent, then volatile. */
    private static final List<Path> SYSTEM_JOURNAL_DIRECTORIES = List.of(Path.of("/var/log/journal"), Path.of("/run/log/journal"));

    /**
     * The journal files among {@code places} (files, or directories with their machine-id sub-directories) that
     * {@code readable} says this process may not read. libsystemd skips such files without an error: a journal whose
     * files all belong to another group looked empty, and the input waited in silence (a walkthrough; a service whose
     * user lost the systemd-journal group does the same).
     */
    static List<Path> unreadableJournalFiles(List<Path> places, java.util.function.Predicate<Path> readable)
    {
        List<Path> unreadable = new ArrayList<>();
        for (Path place : places) {
            if (Files.isDirectory(place)) {
                try (java.util.stream.Stream<Path> entries = Files.walk(place, 2)) {
                    entries.filter(JournaldInput::isJournalFile).filter(file -> !readable.test(file)).sorted().forEach(unreadable::add);
                }
                catch (IOException | java.io.UncheckedIOException e) {
                    // a directory that cannot be listed fails the open itself, with libsystemd's reason
                }
            }
            else if (isJournalFile(place) && Files.exists(place) && !readable.test(place)) {
                unreadable.add(place);
            }
        }
        return unreadable;
    }

    private static boolean isJournalFile(Path path)
    {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return (name.endsWith(".journal") || name.endsWith(".journal~")) && Files.isRegularFile(path);
    }

    private void reportUnreadable(List<Path> unreadable)
    {
        if (unreadable.isEmpty()) {
            context.clearProblem(UNREADABLE_PROBLEM);
            return;
        }
        String detail = unreadable.size() + " journal file(s) cannot be read by this agent's user and their entries are not read ("
                + String.join(", ", unreadable.stream().limit(3).map(Path::toString).toList()) + (unreadable.size() > 3 ? ", ..." : "")
                + "): add the user to the group that owns them (systemd-journal; the service's SupplementaryGroups) or run it as one that may read them";
        logger.log(Level.WARNING, detail);
        context.reportProblem(UNREADABLE_PROBLEM, detail);
    }

    /** The key of the problem {@link #reportUnreadable} reports. */
    static final String UNREADABLE_PROBLEM = "unreadable_journal_files";

    /**
     * Positions the journal and installs the filter.
     *
     * @return the cursor of an entry the next {@link Journal#next()} may land on and which was delivered already,
     *         or {@code null}
     */
    private String position(Journal journal, Emitter emitter)
            throws IOException, InterruptedException
    {
        String committed = context.checkpoints().get(CURSOR_KEY);
        ReadFrom start = config.startPosition();
        if (committed != null) {
            String problem = cursorProblem(journal, committed);
            if (problem == null) {
                installFilter(journal);
                // seek again: the filter applies from the next move, which lands on the committed entry itself
                // when it matches, or on the first matching entry after it
                journal.seekCursor(committed);
                logger.log(Level.INFO, "resuming " + source() + " after cursor " + committed);
                return committed;
            }
            start = config.fallbackPosition();
            cursorFallbacks.increment();
            logger.log(Level.WARNING, "the committed journal cursor '" + committed + "' " + problem + "; reading from the "
                    + start + " of the journal (cursor_fallback)");
        }
        else {
            warnIfEmpty(journal);
        }
        installFilter(journal);
        if (start == ReadFrom.BEGINNING) {
            journal.seekHead();
            logger.log(Level.INFO, "reading " + source() + " from its beginning");
            return null;
        }
        journal.seekTail();
        if (journal.previous()) {
            emitter.commit(List.of(Checkpoint.of(CURSOR_KEY, journal.cursor())));
        }
        logger.log(Level.INFO, "reading new entries of " + source() + " from its end");
        return null;
    }

    /**
     * At the first start, says when the journal holds no entry at all (before the filter: a filter that matches
     * nothing yet is no news). A running system's journal is never empty: an empty one is a host without
     * systemd-journald, or a container the host's journal is not mounted into, and the input would wait in silence.
     */
    private void warnIfEmpty(Journal journal)
            throws IOException
    {
        journal.seekTail();
        if (journal.previous()) {
            return;
        }
        String hint = config.directory() == null && config.files().isEmpty()
                ? "; is systemd-journald running here? In a container, mount the host's /var/log/journal and name it in the input's"
                        + " directory option (OUTRIDER_JOURNAL_DIR with the image's entrypoint)"
                : "";
        logger.log(Level.WARNING, "there is no entry in " + source() + "; new entries are read as they come" + hint);
    }

    /** What this input reads, for the log. */
    private String source()
    {
        if (config.directory() != null) {
            return "the journal directory " + config.directory();
        }
        if (!config.files().isEmpty()) {
            return "the journal files " + config.files();
        }
        return "the system journal";
    }

    /** Why {@code cursor} cannot be resumed from, or {@code null} when its entry is in the journal. */
    private static String cursorProblem(Journal journal, String cursor)
            throws IOException
    {
        if (!journal.seekCursor(cursor)) {
            return "is not a valid cursor";
        }
        if (!journal.next() || !journal.isAt(cursor)) {
            return "names an entry that is no longer in the journal (vacuumed, or the journal files changed)";
        }
        return null;
    }

    private void installFilter(Journal journal)
            throws IOException
    {
        List<List<String>> groups = filter.groups();
        for (int i = 0; i < groups.size(); i++) {
            if (i > 0) {
                journal.addDisjunction();
            }
            for (String match : groups.get(i)) {
                journal.addMatch(match);
            }
        }
    }

    private void follow(Journal journal, Emitter emitter, String resumeCursor)
            throws IOException, InterruptedException
    {
        String alreadyDelivered = resumeCursor;
        List<Event> batch = new ArrayList<>();
        long truncatedBefore = mapper.truncatedFields();
        while (!closed) {
            if (!journal.next()) {
                if (!batch.isEmpty()) {
                    // the current entry is still the last one read: its cursor covers the batch
                    emitter.emit(batch, Checkpoint.of(CURSOR_KEY, journal.cursor()));
                    batch = new ArrayList<>();
                }
                journal.await(WAIT_SLICE);
                continue;
            }
            if (alreadyDelivered != null) {
                boolean delivered = journal.isAt(alreadyDelivered);
                alreadyDelivered = null;
                if (delivered) {
                    continue;
                }
            }
            batch.add(readEntry(journal));
            long truncatedNow = mapper.truncatedFields();
            if (truncatedNow > truncatedBefore) {
                truncatedFields.add(truncatedNow - truncatedBefore);
                truncatedBefore = truncatedNow;
            }
            if (batch.size() >= config.batchSize()) {
                emitter.emit(batch, Checkpoint.of(CURSOR_KEY, journal.cursor()));
                batch = new ArrayList<>();
            }
        }
    }

    private Event readEntry(Journal journal)
            throws IOException
    {
        long realtimeMicros = journal.realtimeMicros();
        int error = journal.forEachField((data, length) -> mapper.addField(data.getByteArray(0, mapper.bytesNeeded(length)), length));
        if (error < 0) {
            if (!unreadableReported) {
                unreadableReported = true;
                logger.log(Level.WARNING, "some fields of the journal entry " + journal.cursor() + " cannot be read (" + SdJournal.strerror(error)
                        + "); the entry is delivered with the fields before them, and further such entries are only counted in "
                        + UNREADABLE_ENTRIES_METRIC);
            }
            unreadableEntries.increment();
        }
        return mapper.build(EntryMapper.instantOfMicros(realtimeMicros));
    }
}
