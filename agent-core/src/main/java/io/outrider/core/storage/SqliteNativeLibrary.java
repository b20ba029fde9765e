package io.outrider.core.storage;

import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads the core's SQLite native library from the distribution instead of letting sqlite-jdbc extract it.
 *
 * <p>By default sqlite-jdbc copies its native library out of the jar into {@code java.io.tmpdir} under a new name on
 * every start: it fails where /tmp is mounted noexec (a common hardening), leaves a 1 MB file behind after every
 * {@code kill -9}, and costs the agent a SecureRandom, a child process and about 1-2 MB resident memory (measured
 * with bench/distribution-idle-rss.sh). The launcher passes the library unpacked for this machine in
 * {@code lib/native/} as the system property {@value #PROPERTY}.
 *
 * <p>sqlite-jdbc reads its library location only from the global system properties {@code org.sqlite.lib.path} and
 * {@code org.sqlite.lib.name}. They are set for the core's own first load and cleared again: a plugin with its own
 * copy of sqlite-jdbc lives in another class loader, and the JVM refuses to load one library file into two class
 * loaders, so such a plugin must keep extracting its own copy. The built-in plugins (input-fim) use the core's copy
 * instead ({@code Outrider-Agent-Libraries}, see {@code io.outrider.core.plugin.AgentLibraries}), which is why the
 * Linux distribution's sqlite-jdbc carries no native library at all. A library that does not load leaves sqlite-jdbc
 * to its default, the extraction.
 */
public final class SqliteNativeLibrary
{
    /** The native library for this machine (a file); set by bin/outrider when the distribution has one. */
    public static final String PROPERTY = "outrider.sqlite.native";

    private static boolean loaded;

    private SqliteNativeLibrary() {}

    /** Set when this machine has no SQLite library at all; {@link #check()} reports it. */
    private static String unavailable;

    /** Called before the core opens its first SQLite connection; cheap after the first call. */
    public static synchronized void load()
    {
        if (loaded) {
            return;
        }
        loaded = true;
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank() || System.getProperty("org.sqlite.lib.path") != null) {
            // not from the distribution, or the operator chose a library explicitly: sqlite-jdbc's own rules apply
            unavailable = missingLibrary();
            return;
        }
        Path library = Path.of(configured).toAbsolutePath();
        if (!Files.isRegularFile(library) || library.getParent() == null) {
            unavailable = missingLibrary();
            return;
        }
        System.setProperty("org.sqlite.lib.path", library.getParent().toString());
        System.setProperty("org.sqlite.lib.name", library.getFileName().toString());
        try {
            SQLiteJDBCLoader.initialize();
        }
        catch (Exception e) {
            // sqlite-jdbc falls back to extracting its library when the connection is opened
            unavailable = missingLibrary();
        }
        finally {
            System.clearProperty("org.sqlite.lib.path");
            System.clearProperty("org.sqlite.lib.name");
        }
    }

    /**
     * After {@link #load()}: fails with what to do when neither the distribution nor sqlite-jdbc has a library for
     * this machine (the Linux downloads' sqlite-jdbc carries none; their lib/native/ has one architecture, or both),
     * instead of sqlite-jdbc's UnsatisfiedLinkError when the first connection opens.
     */
    public static synchronized void check()
            throws SQLException
    {
        if (unavailable != null) {
            throw new SQLException(unavailable);
        }
    }

    private static String missingLibrary()
    {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return null;
        }
        String platform = OSInfo.getNativeLibFolderPathForCurrentOS();
        String bundled = "org/sqlite/native/" + platform + "/" + LibraryLoaderUtil.getNativeLibName();
        ClassLoader sqliteLoader = SQLiteJDBCLoader.class.getClassLoader();
        if (sqliteLoader == null || sqliteLoader.getResource(bundled) != null) {
            return null;
        }
        return "this Outrider has no SQLite native library for " + platform + " (lib/native/ has " + bundledPlatforms() + ");"
                + " use the distribution built for this machine, or name a libsqlitejdbc built for it with"
                + " OUTRIDER_EXTRA_JAVA_OPTS=\"-Dorg.sqlite.lib.path=DIR -Dorg.sqlite.lib.name=FILE\"";
    }

    /**
     * The platforms lib/native/ has a library for, as its folders are named ({@code Linux-x86_64, Linux-Musl-x86_64}):
     * the per-platform downloads carry one architecture, so an archive for the wrong one says which it is.
     */
    private static String bundledPlatforms()
    {
        String home = System.getProperty("outrider.home");
        if (home == null || home.isBlank()) {
            return "none";
        }
        Path nativeDirectory = Path.of(home, "lib", "native");
        if (!Files.isDirectory(nativeDirectory)) {
            return "none";
        }
        try (Stream<Path> folders = Files.list(nativeDirectory)) {
            List<String> platforms = folders
                    .filter(folder -> Files.isRegularFile(folder.resolve("libsqlitejdbc.so")))
                    .map(folder -> folder.getFileName().toString())
                    .sorted()
                    .toList();
            return platforms.isEmpty() ? "none" : String.join(", ", platforms);
        }
        catch (IOException | UncheckedIOException e) {
            return "none readable";
        }
    }
}
