package io.outrider.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A buffered payload is not an event a codec wrote (damaged or truncated), or names fields by ids its buffer does not
 * have: what {@link EventCodec} throws, told apart from what a visitor it calls may throw.
 */
public final class UndecodableEventException
        extends UncheckedIOException
{
    UndecodableEventException(String message, IOException cause)
    {
        super(message, cause);
    }
}
