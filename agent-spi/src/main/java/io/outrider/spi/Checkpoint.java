package io.outrider.spi;

import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * One entry of an input's position: a key chosen by the input (a file identity, {@code "cursor"}, a channel name)
 * and an opaque text value (an offset, a journal cursor, a bookmark), or a request to forget the key.
 *
 * <p>Checkpoints travel with the events they follow through {@link Emitter#emit}: the agent commits the events and the
 * checkpoints in one transaction, so after any crash the input resumes from exactly what was committed
 * ({@link ComponentContext#checkpoints()}). An input may keep many keys (one per file); keys it no longer needs should
 * be {@linkplain #forget forgotten} so the state does not grow without bound. Values should stay small (bytes to a
 * few kilobytes).
 */
@Stable
public final class Checkpoint
{
    private final String key;
    private final String value;

    private Checkpoint(String key, String value)
    {
        this.key = requireNonNull(key, "key is null");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("checkpoint key is empty");
        }
        this.value = value;
    }

    /** Sets {@code key} to {@code value}. */
    public static Checkpoint of(String key, String value)
    {
        return new Checkpoint(key, requireNonNull(value, "value is null"));
    }

    /** Removes {@code key} from the input's committed state. */
    public static Checkpoint forget(String key)
    {
        return new Checkpoint(key, null);
    }

    public String key()
    {
        return key;
    }

    /** The value, or {@code null} when this checkpoint forgets its key. */
    public String value()
    {
        return value;
    }

    public boolean isForget()
    {
        return value == null;
    }

    @Override
    public boolean equals(Object o)
    {
        return o instanceof Checkpoint && key.equals(((Checkpoint) o).key) && Objects.equals(value, ((Checkpoint) o).value);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(key, value);
    }

    @Override
    public String toString()
    {
        return value == null ? "Checkpoint{forget " + key + "}" : "Checkpoint{" + key + "=" + value + "}";
    }
}
