package io.outrider.core.delivery;

import io.outrider.core.storage.BufferedEvent;
import io.outrider.core.storage.UndecodableEventException;
import io.outrider.spi.Event;
import io.outrider.spi.EventVisitor;

import java.io.UncheckedIOException;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

import static java.util.Objects.requireNonNull;

/**
 * A batch as the output sees it: an immutable list whose events are decoded from their stored bytes as they
 * are read. A batch decoded up front would be megabytes of objects alive across young collections, promoted
 * and then collected by full ones; read one at a time, each event dies young. An output that writes an event's
 * parts as they come ({@link EventVisitor.Source}) makes no event at all: it reads the stored bytes.
 */
final class StoredEvents
        extends AbstractList<Event>
        implements RandomAccess, EventVisitor.Source
{
    private final List<BufferedEvent> stored;
    private volatile String decodeFailure;

    StoredEvents(List<BufferedEvent> stored)
    {
        this.stored = requireNonNull(stored, "stored is null");
    }

    List<BufferedEvent> stored()
    {
        return stored;
    }

    @Override
    public Event get(int index)
    {
        try {
            return stored.get(index).event();
        }
        catch (UncheckedIOException e) {
            decodeFailure = "event " + stored.get(index).seq() + " in the buffer cannot be decoded: " + e.getMessage();
            throw e;
        }
    }

    @Override
    public void visit(int index, EventVisitor visitor)
    {
        BufferedEvent event = stored.get(index);
        try {
            event.visit(visitor);
        }
        catch (UndecodableEventException e) {
            // not what the visitor throws: that is the output's own failure
            decodeFailure = "event " + event.seq() + " in the buffer cannot be decoded: " + e.getMessage();
            throw e;
        }
    }

    @Override
    public int size()
    {
        return stored.size();
    }

    String decodeFailure()
    {
        return decodeFailure;
    }

    void forgetDecodeFailure()
    {
        decodeFailure = null;
    }
}
