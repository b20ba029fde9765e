package io.outrider.config;

/**
 * Sets and restores the thread context class loader around a call into plugin code, and does neither when the
 * thread already has the plugin's loader (a plugin's own threads, and the parse path, which calls once per event).
 * Use as {@code ClassLoader previous = enter(loader); try { ... } finally { exit(previous, loader); }}: nothing is
 * allocated.
 */
public final class ThreadContextLoader
{
    private ThreadContextLoader() {}

    /** Makes {@code loader} the context class loader; returns the previous one for {@link #exit}. */
    public static ClassLoader enter(ClassLoader loader)
    {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        if (previous != loader) {
            thread.setContextClassLoader(loader);
        }
        return previous;
    }

    public static void exit(ClassLoader previous, ClassLoader loader)
    {
        if (previous != loader) {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
