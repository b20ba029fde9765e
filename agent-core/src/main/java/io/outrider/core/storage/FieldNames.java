package io.outrider.core.storage;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The field names one buffer has learned, by id: the dictionary of payload format 0x03 (see {@link EventCodec}).
 * A name gets the next id the first time an event carrying it is encoded, and is stored in the buffer's
 * {@code field_names} table in the transaction that stores that event, so that every stored payload's ids are in the
 * table; the table is loaded when the buffer opens. Whatever plugin a name comes from, it compresses alike: core
 * knows no plugin's words.
 *
 * <p>At most {@value #MAX_NAMES} names are learned, each at most {@value #MAX_NAME_LENGTH} characters: names made up
 * per event (a key that holds a value) must not grow the table without bound; the others are written as strings,
 * as the format allows for any name.
 *
 * <p>Thread-safe: inputs encode concurrently, delivery loops decode concurrently; looking a known name up takes no
 * lock.
 */
public final class FieldNames
{
    /** Ids below 64 take one byte in a payload, below 8,192 two. */
    static final int MAX_NAMES = 8_192;
    static final int MAX_NAME_LENGTH = 128;

    /** Reads the names a buffer stored from {@code firstId} on, in id order (another process may have learned them). */
    interface Store
    {
        List<String> namesFrom(int firstId)
                throws SQLException;
    }

    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    /** By id; replaced, never changed, when a name is learned. */
    private volatile String[] names;
    /** Names below this id are in the store. Guarded by this. */
    private int stored;
    private final Store store;

    private FieldNames(List<String> loaded, Store store)
    {
        this.names = loaded.toArray(String[]::new);
        for (int id = 0; id < names.length; id++) {
            ids.put(names[id], id);
        }
        this.stored = names.length;
        this.store = requireNonNull(store, "store is null");
    }

    /** The names a buffer stored, loaded from {@code store}. */
    static FieldNames load(Store store)
            throws SQLException
    {
        return new FieldNames(store.namesFrom(0), store);
    }

    /** The names of a buffer another process writes, read from {@code store} when a payload needs them (see {@link #name}). */
    static FieldNames readWhenNeeded(Store store)
    {
        return new FieldNames(List.of(), store);
    }

    /** Names of their own, stored nowhere: for payloads that never reach a buffer (tests, tools). */
    public static FieldNames standalone()
    {
        return new FieldNames(List.of(), firstId -> List.of());
    }

    /** The id of {@code name}, learning it if it is new; -1 when it is not to be learned (too long, or the table is full). */
    int idFor(String name)
    {
        Integer id = ids.get(name);
        return id != null ? id : learn(name);
    }

    private synchronized int learn(String name)
    {
        Integer id = ids.get(name);
        if (id != null) {
            return id;
        }
        String[] known = names;
        if (known.length >= MAX_NAMES || name.length() > MAX_NAME_LENGTH) {
            return -1;
        }
        String[] grown = Arrays.copyOf(known, known.length + 1);
        grown[known.length] = name;
        // the array first: a payload with the id can only exist once idFor returned it
        names = grown;
        ids.put(name, known.length);
        return known.length;
    }

    /**
     * The name with this id. An id this process has not seen was learned by another process on the same buffer
     * (the agent, while the CLI reads), and is read from the store.
     *
     * @throws IOException when the buffer has no name with this id: the payload is damaged
     */
    String name(long id)
            throws IOException
    {
        String[] known = names;
        if (id >= 0 && id < known.length) {
            return known[(int) id];
        }
        if (id >= 0 && id < MAX_NAMES && reload() > id) {
            return names[(int) id];
        }
        throw new IOException("field name " + id + " is not in the buffer's dictionary of " + names.length + " name(s)");
    }

    private synchronized int reload()
            throws IOException
    {
        String[] known = names;
        List<String> more;
        try {
            more = store.namesFrom(known.length);
        }
        catch (SQLException e) {
            throw new IOException("cannot read the buffer's field names: " + e.getMessage(), e);
        }
        if (!more.isEmpty()) {
            String[] grown = Arrays.copyOf(known, known.length + more.size());
            for (int i = 0; i < more.size(); i++) {
                grown[known.length + i] = more.get(i);
                ids.putIfAbsent(more.get(i), known.length + i);
            }
            names = grown;
            stored = Math.max(stored, grown.length);
        }
        return names.length;
    }

    /** Names learned but not yet stored, with the first one's id: for the transaction that stores events using them. */
    synchronized Unstored unstored()
    {
        String[] known = names;
        return new Unstored(stored, List.of(Arrays.copyOfRange(known, stored, known.length)));
    }

    /** The transaction that stored {@code unstored} committed. */
    synchronized void stored(Unstored unstored)
    {
        stored = Math.max(stored, unstored.firstId() + unstored.names().size());
    }

    /** Learned names not yet in the store: {@code names.get(i)} has id {@code firstId + i}. */
    record Unstored(int firstId, List<String> names)
    {
    }

    /** How many names are known. */
    int size()
    {
        return names.length;
    }
}
