package io.outrider.plugin.file;

import io.outrider.spi.Checkpoint;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Events waiting to be emitted together with the positions they reach. Checkpoint values are computed when the
 * batch is emitted, from the files' positions at that moment, which callers keep in step with the events added.
 */
final class Batch
{
    private static final Object FORGET = new Object();

    private final Emitter emitter;
    private final int maxEvents;
    private final long maxBytes;
    private final List<Event> events = new ArrayList<>();
    private final Map<String, Object> checkpointChanges = new LinkedHashMap<>();
    private long bytes;
    /** The file whose checkpoint the last event already registered: consecutive events of one file put it once. */
    private TrackedFile lastMoved;

    Batch(Emitter emitter, int maxEvents, long maxBytes)
    {
        this.emitter = requireNonNull(emitter, "emitter is null");
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** Adds an event from {@code file}; emits the batch when it is full. */
    void add(Event event, long eventBytes, TrackedFile file)
            throws InterruptedException
    {
        events.add(event);
        bytes += eventBytes;
        if (file != lastMoved) {
            moved(file);
        }
        if (events.size() >= maxEvents || bytes >= maxBytes) {
            flush();
        }
    }

    /** The file's position changed (or it is new): its checkpoint goes with the next emit, unless it was deleted. */
    void moved(TrackedFile file)
    {
        lastMoved = file;
        if (!file.deleted) {
            checkpointChanges.put(file.key(), file);
        }
    }

    /** The key is no longer needed. */
    void forget(String key)
    {
        lastMoved = null;
        checkpointChanges.remove(key);
        checkpointChanges.put(key, FORGET);
    }

    /** Sets a key that belongs to no file. */
    void put(String key, String value)
    {
        checkpointChanges.put(key, value);
    }

    boolean isEmpty()
    {
        return events.isEmpty() && checkpointChanges.isEmpty();
    }

    /** Emits what is pending; returns when the agent committed it. */
    void flush()
            throws InterruptedException
    {
        if (isEmpty()) {
            return;
        }
        Map<String, Checkpoint> checkpoints = new LinkedHashMap<>();
        List<TrackedFile> committedFiles = new ArrayList<>();
        for (Map.Entry<String, Object> change : checkpointChanges.entrySet()) {
            Object value = change.getValue();
            if (value == FORGET) {
                checkpoints.put(change.getKey(), Checkpoint.forget(change.getKey()));
            }
            else if (value instanceof String text) {
                checkpoints.put(change.getKey(), Checkpoint.of(change.getKey(), text));
            }
            else {
                TrackedFile file = (TrackedFile) value;
                // the key may have changed since (wider fingerprint); the file's current key is what counts
                String key = file.key();
                String checkpointValue = file.checkpointValue();
                if (!key.equals(file.committedKey) || !checkpointValue.equals(file.committedValue)) {
                    checkpoints.put(key, Checkpoint.of(key, checkpointValue));
                    committedFiles.add(file);
                }
            }
        }
        if (events.isEmpty() && checkpoints.isEmpty()) {
            checkpointChanges.clear();
            lastMoved = null;
            return;
        }
        emitter.emit(List.copyOf(events), List.copyOf(checkpoints.values()));
        for (TrackedFile file : committedFiles) {
            file.committedKey = file.key();
            file.committedValue = checkpoints.get(file.committedKey).value();
        }
        events.clear();
        checkpointChanges.clear();
        bytes = 0;
        lastMoved = null;
    }
}
