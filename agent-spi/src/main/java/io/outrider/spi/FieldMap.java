package io.outrider.spi;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The fields of an {@link Event}: names and values in parallel arrays, in insertion order, with the same iteration
 * order, equality and text as the {@link java.util.LinkedHashMap} it replaces. Every event is built (and decoded
 * again on delivery) with a dozen or two fields; as a linked hash map each field was a node object of its own, the
 * largest share of the agent's allocation. A name is found by a scan of the names (nearly always the same String
 * constants: a comparison of references; a mask of the names' hash bits answers most misses first), and, for events
 * with many fields, through an open-addressing index. The names' hashes are not kept in an array of their own: a String
 * caches its hash, and a third array was a third of every copy a parser makes of its input's event.
 *
 * <p>Mutated only by {@link Event.Builder}, which hands out a map it no longer writes to (see its copy-on-write);
 * to everyone else it is read-only. Values are never null: a null removes the field. Not thread-safe while written.
 */
final class FieldMap
        extends AbstractMap<String, Object>
{
    /** Up to this many fields a scan of the names beats maintaining an index. */
    private static final int SCAN_LIMIT = 32;

    private String[] names;
    private Object[] values;
    private int size;
    /** Slot to position + 1 (0: empty); null while the map is small enough to scan. */
    private int[] index;
    /**
     * Bit {@code hash & 63} set for the hash of every name added (a removed name's bit stays: it only costs a scan).
     * A builder sets a dozen new fields per event, each of which must first be looked for: a clear bit answers
     * "absent" without scanning the names.
     */
    private long hashBits;

    FieldMap(int capacity)
    {
        // a caller's estimate is only a hint: a wild one must not allocate for it up front
        int length = Math.min(Math.max(4, capacity), 1024);
        this.names = new String[length];
        this.values = new Object[length];
    }

    /** A copy of {@code other} with room for {@code capacity} fields. */
    FieldMap(FieldMap other, int capacity)
    {
        int length = Math.max(Math.max(4, capacity), other.size);
        this.names = Arrays.copyOf(other.names, length);
        this.values = Arrays.copyOf(other.values, length);
        this.size = other.size;
        this.hashBits = other.hashBits;
        if (other.index != null) {
            rebuildIndex();
        }
    }

    private int positionOf(String name)
    {
        int hash = name.hashCode();
        if ((hashBits & (1L << hash)) == 0) {
            return -1;
        }
        if (index == null) {
            String[] names = this.names;
            for (int i = 0; i < size; i++) {
                if (names[i] == name || names[i].hashCode() == hash && names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }
        int mask = index.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            int entry = index[slot];
            if (entry == 0) {
                return -1;
            }
            int position = entry - 1;
            if (names[position] == name || names[position].hashCode() == hash && names[position].equals(name)) {
                return position;
            }
        }
    }

    private static int spread(int hash)
    {
        return hash ^ (hash >>> 16);
    }

    /** Sets a field: an existing one keeps its place, a new one goes last. */
    void set(String name, Object value)
    {
        int position = positionOf(name);
        if (position >= 0) {
            values[position] = value;
            return;
        }
        if (size == names.length) {
            int length = size * 2;
            names = Arrays.copyOf(names, length);
            values = Arrays.copyOf(values, length);
        }
        names[size] = name;
        values[size] = value;
        hashBits |= 1L << name.hashCode();
        size++;
        if (index != null && size * 2 <= index.length) {
            addToIndex(size - 1);
        }
        else if (size > SCAN_LIMIT) {
            rebuildIndex();
        }
    }

    /** Removes a field; the ones after it move up, in order. */
    void delete(String name)
    {
        int position = positionOf(name);
        if (position < 0) {
            return;
        }
        int moved = size - position - 1;
        System.arraycopy(names, position + 1, names, position, moved);
        System.arraycopy(values, position + 1, values, position, moved);
        size--;
        names[size] = null;
        values[size] = null;
        if (index != null) {
            rebuildIndex();
        }
    }

    private void rebuildIndex()
    {
        int length = Integer.highestOneBit(Math.max(SCAN_LIMIT, size) * 4 - 1);
        index = new int[length];
        for (int i = 0; i < size; i++) {
            addToIndex(i);
        }
    }

    private void addToIndex(int position)
    {
        int mask = index.length - 1;
        int slot = spread(names[position].hashCode()) & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = position + 1;
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public boolean isEmpty()
    {
        return size == 0;
    }

    @Override
    public Object get(Object name)
    {
        if (!(name instanceof String)) {
            return null;
        }
        int position = positionOf((String) name);
        return position < 0 ? null : values[position];
    }

    @Override
    public boolean containsKey(Object name)
    {
        return name instanceof String && positionOf((String) name) >= 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action)
    {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet()
    {
        return new AbstractSet<>()
        {
            @Override
            public Iterator<Entry<String, Object>> iterator()
            {
                return new Iterator<>()
                {
                    private int next;

                    @Override
                    public boolean hasNext()
                    {
                        return next < size;
                    }

                    @Override
                    public Entry<String, Object> next()
                    {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int position = next++;
                        return new SimpleImmutableEntry<>(names[position], values[position]);
                    }
                };
            }

            @Override
            public int size()
            {
                return size;
            }
        };
    }

    @Override
    public boolean equals(Object o)
    {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Map<?, ?> other) || other.size() != size) {
            return false;
        }
        try {
            for (int i = 0; i < size; i++) {
                if (!values[i].equals(other.get(names[i]))) {
                    return false;
                }
            }
        }
        catch (ClassCastException | NullPointerException e) {
            // as AbstractMap: a map that cannot hold string keys is not equal
            return false;
        }
        return true;
    }

    @Override
    public int hashCode()
    {
        // as every Map: the sum of the entries' hashes, each the name's hash XOR the value's
        int hash = 0;
        for (int i = 0; i < size; i++) {
            hash += names[i].hashCode() ^ values[i].hashCode();
        }
        return hash;
    }
}
