package io.outrider.plugin.journald;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One open {@code sd_journal} handle: the system journal, a directory or a set of files, read as one interleaved
 * stream across all boots. Not thread-safe: open, use and close it on one thread (libsystemd's rule).
 *
 * <p>Errors from libsystemd become {@link IOException}s naming the operation and the errno text.
 */
final class Journal
        implements AutoCloseable
{
    private static final int EINVAL = 22;

    private final Pointer handle;
    // the out-parameters of sd_journal_enumerate_data (data pointer, then size_t length), read through a direct
    // buffer over the same memory: Java reads, not a JNI call per value, on the hottest path
    private final Memory dataAndLength = new Memory(2L * Long.BYTES);
    private final Pointer lengthOut = dataAndLength.share(Long.BYTES);
    private final ByteBuffer dataAndLengthView = dataAndLength.getByteBuffer(0, 2L * Long.BYTES).order(ByteOrder.nativeOrder());
    private final Memory usecOut = new Memory(Long.BYTES);
    private final Memory cursorOut = new Memory(Native.POINTER_SIZE);
    private boolean closed;

    private Journal(Pointer handle)
    {
        this.handle = requireNonNull(handle, "handle is null");
    }

    /** The journal of the system (and of users, when readable), as {@code journalctl} without options reads it. */
    static Journal openSystem()
            throws IOException
    {
        Memory out = new Memory(Native.POINTER_SIZE);
        check(SdJournal.sd_journal_open(out, 0), "open the system journal");
        return new Journal(out.getPointer(0));
    }

    /** Every journal file in {@code directory} and in its machine-id sub-directories (a mounted /var/log/journal). */
    static Journal openDirectory(Path directory)
            throws IOException
    {
        Memory out = new Memory(Native.POINTER_SIZE);
        check(SdJournal.sd_journal_open_directory(out, nulTerminated(directory.toAbsolutePath().toString()), 0), "open the journal directory " + directory);
        return new Journal(out.getPointer(0));
    }

    /** Exactly these journal files. */
    static Journal openFiles(List<Path> files)
            throws IOException
    {
        String[] paths = files.stream().map(file -> file.toAbsolutePath().toString()).toArray(String[]::new);
        Memory out = new Memory(Native.POINTER_SIZE);
        check(SdJournal.sd_journal_open_files(out, new StringArray(paths, StandardCharsets.UTF_8.name()), 0), "open the journal files " + files);
        return new Journal(out.getPointer(0));
    }

    /**
     * Fields longer than this may be returned cut to about this length (libsystemd decompresses only that much);
     * shorter fields are returned whole. 0 means no limit.
     */
    void setDataThreshold(long bytes)
            throws IOException
    {
        check(SdJournal.sd_journal_set_data_threshold(handle, bytes), "set the data threshold");
    }

    /** Adds {@code FIELD=value} to the current group: same field OR, different fields AND. */
    void addMatch(String match)
            throws IOException
    {
        byte[] bytes = match.getBytes(StandardCharsets.UTF_8);
        check(SdJournal.sd_journal_add_match(handle, bytes, bytes.length), "add the match " + match);
    }

    /** Closes the current group of matches; the next matches form a group ORed with the previous ones. */
    void addDisjunction()
            throws IOException
    {
        check(SdJournal.sd_journal_add_disjunction(handle), "add a disjunction");
    }

    void seekHead()
            throws IOException
    {
        check(SdJournal.sd_journal_seek_head(handle), "seek to the head");
    }

    void seekTail()
            throws IOException
    {
        check(SdJournal.sd_journal_seek_tail(handle), "seek to the tail");
    }

    /**
     * Seeks to the entry of {@code cursor}, or to where it would be if it is gone; {@link #next()} then lands on it or
     * on the first entry after it.
     *
     * @return false when libsystemd rejects the text as a cursor
     */
    boolean seekCursor(String cursor)
            throws IOException
    {
        int r = SdJournal.sd_journal_seek_cursor(handle, cursor);
        if (r == -EINVAL) {
            return false;
        }
        check(r, "seek to a cursor");
        return true;
    }

    /** Whether the current entry is the one {@code cursor} names. */
    boolean isAt(String cursor)
            throws IOException
    {
        int r = SdJournal.sd_journal_test_cursor(handle, cursor);
        // a malformed cursor cannot name the current entry
        if (r == -EINVAL) {
            return false;
        }
        return check(r, "test a cursor") > 0;
    }

    /** Moves to the next entry. @return false at the end */
    boolean next()
            throws IOException
    {
        return check(SdJournal.sd_journal_next(handle), "read the next entry") > 0;
    }

    /** Moves to the previous entry. @return false at the beginning */
    boolean previous()
            throws IOException
    {
        return check(SdJournal.sd_journal_previous(handle), "read the previous entry") > 0;
    }

    /** The cursor of the current entry. */
    String cursor()
            throws IOException
    {
        check(SdJournal.sd_journal_get_cursor(handle, cursorOut), "get the cursor");
        Pointer text = cursorOut.getPointer(0);
        try {
            return text.getString(0, StandardCharsets.US_ASCII.name());
        }
        finally {
            Native.free(Pointer.nativeValue(text));
        }
    }

    /** {@code __REALTIME_TIMESTAMP} of the current entry, in microseconds since the epoch. */
    long realtimeMicros()
            throws IOException
    {
        check(SdJournal.sd_journal_get_realtime_usec(handle, usecOut), "get the realtime timestamp");
        return usecOut.getLong(0);
    }

    /**
     * Calls {@code visitor} for every {@code FIELD=value} of the current entry, in stored order.
     *
     * @return 0, or the negative errno with which libsystemd failed to read a field (corrupt, or compressed with an
     *         algorithm it lacks); the fields before that one were visited
     */
    int forEachField(FieldVisitor visitor)
    {
        SdJournal.sd_journal_restart_data(handle);
        while (true) {
            int r = SdJournal.sd_journal_enumerate_data(handle, dataAndLength, lengthOut);
            if (r <= 0) {
                return r;
            }
            visitor.visit(new Pointer(dataAndLengthView.getLong(0)), dataAndLengthView.getLong(Long.BYTES));
        }
    }

    /** Waits until entries are appended or journal files added or removed (inotify inside libsystemd), at most {@code timeout}. */
    void await(Duration timeout)
            throws IOException
    {
        check(SdJournal.sd_journal_wait(handle, timeout.toNanos() / 1000), "wait for the journal");
    }

    @Override
    public void close()
    {
        if (!closed) {
            closed = true;
            SdJournal.sd_journal_close(handle);
        }
    }

    private static int check(int r, String operation)
            throws IOException
    {
        if (r < 0) {
            throw new IOException("cannot " + operation + ": " + SdJournal.strerror(r));
        }
        return r;
    }

    private static byte[] nulTerminated(String text)
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        return terminated;
    }

    /** Receives one {@code FIELD=value} datum; the pointer is valid only during the call. */
    @FunctionalInterface
    interface FieldVisitor
    {
        void visit(Pointer data, long length);
    }
}
