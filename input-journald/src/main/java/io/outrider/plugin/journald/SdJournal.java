package io.outrider.plugin.journald;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The {@code sd_journal_*} functions of libsystemd, bound with JNA direct mapping (the cheapest JNA call path: the
 * reader makes a dozen calls per journal entry). Every {@code size_t} is a Java {@code long}, so {@link #load}
 * refuses JVMs whose {@code size_t} is not 64 bits. Every function used exists since systemd 209.
 *
 * <p>An {@code sd_journal} handle is not thread-safe: {@link Journal} keeps each handle on one thread.
 */
final class SdJournal
{
    /** The library names tried in order: the runtime soname first (no -dev package needed), then JNA's search. */
    static final List<String> LIBRARY_NAMES = List.of("libsystemd.so.0", "systemd");

    private static volatile String loadedFrom;

    private SdJournal() {}

    /**
     * Binds the native methods of this class to the first library of {@code libraryNames} that loads. The binding
     * happens once per class loader; later calls only check that one of the names still loads.
     *
     * @return where the library was loaded from
     * @throws UnsatisfiedLinkError with a sentence saying what is missing and what to install
     */
    static synchronized String load(List<String> libraryNames)
    {
        // always look the library up, even when bound already, so a wrong name list fails the same way every time
        NativeLibrary library = findLibrary(libraryNames);
        if (loadedFrom != null) {
            return loadedFrom;
        }
        try {
            Native.register(SdJournal.class, library);
        }
        catch (UnsatisfiedLinkError e) {
            throw new UnsatisfiedLinkError("libsystemd at " + library.getFile() + " lacks a journal function (systemd 209 or later is needed): " + firstLine(e.getMessage()));
        }
        loadedFrom = library.getFile() == null ? library.getName() : library.getFile().toString();
        return loadedFrom;
    }

    private static NativeLibrary findLibrary(List<String> libraryNames)
    {
        requireNonNull(libraryNames, "libraryNames is null");
        if (!Platform.isLinux()) {
            throw new UnsatisfiedLinkError("the journald input runs on Linux only (this is " + System.getProperty("os.name") + ")");
        }
        int sizeOfSizeT;
        try {
            // the first use of Native loads JNA's own native part, extracted to a temporary directory
            sizeOfSizeT = Native.SIZE_T_SIZE;
        }
        catch (LinkageError e) {
            throw new UnsatisfiedLinkError("JNA cannot load its native library; if the temporary directory is mounted noexec, "
                    + "start the agent with -Djna.tmpdir=<a directory that allows execution>: " + firstLine(e.getMessage()));
        }
        if (sizeOfSizeT != Long.BYTES) {
            throw new UnsatisfiedLinkError("the journald input needs a 64-bit JVM");
        }
        List<String> failures = new ArrayList<>();
        for (String name : libraryNames) {
            try {
                return NativeLibrary.getInstance(name);
            }
            catch (UnsatisfiedLinkError e) {
                failures.add(name + ": " + firstLine(e.getMessage()));
            }
        }
        throw new UnsatisfiedLinkError("libsystemd is not installed or cannot be loaded (install libsystemd0 on Debian/Ubuntu, systemd-libs on RHEL/Fedora): "
                + String.join("; ", failures));
    }

    /** The text of an errno value, e.g. {@code No such file or directory}; {@code r} may be negative as libsystemd returns it. */
    static String strerror(int r)
    {
        int errno = Math.abs(r);
        try {
            Function strerror = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("strerror");
            return strerror.invokeString(new Object[] {errno}, false) + " (errno " + errno + ")";
        }
        catch (UnsatisfiedLinkError e) {
            return "errno " + errno;
        }
    }

    private static String firstLine(String text)
    {
        if (text == null) {
            return "unknown error";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    static native int sd_journal_open(Pointer ret, int flags);

    static native int sd_journal_open_directory(Pointer ret, byte[] path, int flags);

    static native int sd_journal_open_files(Pointer ret, Pointer paths, int flags);

    static native void sd_journal_close(Pointer journal);

    static native int sd_journal_next(Pointer journal);

    static native int sd_journal_previous(Pointer journal);

    static native int sd_journal_seek_head(Pointer journal);

    static native int sd_journal_seek_tail(Pointer journal);

    static native int sd_journal_seek_cursor(Pointer journal, String cursor);

    static native int sd_journal_test_cursor(Pointer journal, String cursor);

    static native int sd_journal_get_cursor(Pointer journal, Pointer cursor);

    static native int sd_journal_get_realtime_usec(Pointer journal, Pointer usec);

    static native int sd_journal_set_data_threshold(Pointer journal, long size);

    static native void sd_journal_restart_data(Pointer journal);

    static native int sd_journal_enumerate_data(Pointer journal, Pointer data, Pointer length);

    static native int sd_journal_add_match(Pointer journal, byte[] data, long size);

    static native int sd_journal_add_disjunction(Pointer journal);

    static native int sd_journal_wait(Pointer journal, long timeoutMicros);
}
