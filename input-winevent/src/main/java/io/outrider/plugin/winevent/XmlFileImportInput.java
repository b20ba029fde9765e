package io.outrider.plugin.winevent;

import io.outrider.spi.Checkpoint;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics.Counter;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Import mode: reads files of rendered event XML ({@code wevtutil qe CHANNEL /f:xml}, {@code evtxexport -f xml})
 * through the same mapping as live channels, on any OS. The checkpoint of a file is the byte offset of its next
 * event, so an interrupted import resumes where it stopped and a finished one is not repeated. Returns when every
 * file has been read.
 */
public final class XmlFileImportInput
        implements Input
{
    /** Checkpoint keys are this prefix and the file's absolute path. */
    public static final String CHECKPOINT_PREFIX = "file:";
    static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;

    private final List<Path> files;
    private final EventFilter filter;
    private final EventXmlMapper mapper;
    private final ComponentContext context;
    private final System.Logger logger;
    private final int batchSize;
    private final Counter parseErrors;
    private final Counter fileErrors;
    private volatile boolean closed;

    public XmlFileImportInput(List<Path> files, EventFilter filter, WinEventInputConfig config, ComponentContext context)
    {
        this.files = files.stream().map(path -> path.toAbsolutePath().normalize()).toList();
        this.filter = requireNonNull(filter, "filter is null");
        this.context = requireNonNull(context, "context is null");
        this.logger = context.logger();
        this.batchSize = config.batchSize();
        this.mapper = new EventXmlMapper(context.hostName(), config.includeXml());
        this.parseErrors = context.metrics().counter("parse_errors_total", "Events whose XML could not be mapped (emitted with error.message)");
        this.fileErrors = context.metrics().counter("file_errors_total", "Files that could not be read");
    }

    @Override
    public void run(Emitter emitter)
            throws Exception
    {
        List<Checkpoint> forget = new ArrayList<>();
        for (String key : context.checkpoints().keySet()) {
            if (files.stream().noneMatch(file -> key.equals(checkpointKey(file)))) {
                forget.add(Checkpoint.forget(key));
            }
        }
        if (!forget.isEmpty()) {
            emitter.commit(forget);
        }
        for (Path file : files) {
            if (closed) {
                return;
            }
            try {
                importFile(file, emitter);
            }
            catch (NoSuchFileException e) {
                fileErrors.increment();
                logger.log(ERROR, "cannot import " + file + ": the file does not exist");
            }
            catch (IOException e) {
                fileErrors.increment();
                logger.log(ERROR, "cannot import " + file + ": " + e);
            }
        }
    }

    @Override
    public void close()
    {
        closed = true;
    }

    static String checkpointKey(Path file)
    {
        return CHECKPOINT_PREFIX + file;
    }

    private void importFile(Path file, Emitter emitter)
            throws IOException, InterruptedException
    {
        String key = checkpointKey(file);
        long size = Files.size(file);
        long offset = 0;
        String committed = context.checkpoints().get(key);
        if (committed != null) {
            try {
                offset = Long.parseLong(committed);
            }
            catch (NumberFormatException e) {
                logger.log(WARNING, "checkpoint of " + file + " is not an offset (" + committed + "): importing it from the start");
            }
            if (offset > size) {
                logger.log(WARNING, file + " is shorter than its checkpoint (" + offset + " > " + size + " bytes): it was replaced, importing it from the start");
                offset = 0;
            }
        }
        if (offset == size && size > 0) {
            return;
        }
        logger.log(INFO, "importing " + file + (offset > 0 ? " from byte " + offset : ""));
        try (EventXmlSplitter splitter = new EventXmlSplitter(file, offset, MAX_EVENT_BYTES)) {
            List<Event> batch = new ArrayList<>(batchSize);
            int read = 0;
            while (!closed) {
                Optional<EventXmlSplitter.Chunk> chunk = splitter.next();
                if (chunk.isEmpty()) {
                    break;
                }
                Event event = map(chunk.get(), file);
                if (filter.matches(event)) {
                    batch.add(event);
                }
                if (++read >= batchSize) {
                    emitter.emit(batch, Checkpoint.of(key, Long.toString(chunk.get().endOffset())));
                    batch = new ArrayList<>(batchSize);
                    read = 0;
                }
            }
            if (!closed) {
                // Past the last event: the rest is separators, so the file is done.
                emitter.emit(batch, Checkpoint.of(key, Long.toString(Math.max(splitter.position(), size))));
            }
            else if (read > 0) {
                emitter.emit(batch, Checkpoint.of(key, Long.toString(splitter.position())));
            }
        }
    }

    private Event map(EventXmlSplitter.Chunk chunk, Path file)
    {
        String reason;
        if (chunk.complete()) {
            try {
                return mapper.map(chunk.xml(), Optional.empty(), context.clock().instant());
            }
            catch (EventXmlException e) {
                reason = e.getMessage();
            }
        }
        else {
            reason = "the event at byte " + chunk.startOffset() + " of " + file + " has no end (cut short or larger than " + MAX_EVENT_BYTES + " bytes)";
        }
        parseErrors.increment();
        return mapper.errorEvent(chunk.xml(), null, reason, context.clock().instant());
    }
}
