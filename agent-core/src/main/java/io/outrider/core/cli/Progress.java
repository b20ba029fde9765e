package io.outrider.core.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * A progress line on standard error while a long command works ({@code run-once}, {@code buffer verify},
 * {@code dead-letters replay}): on a terminal only, redrawn in place with a carriage return at most
 * {@link #DEFAULT_EVERY twice a second}, and erased when the work is done so the command's own summary stands
 * alone. Written nowhere else: a log or a pipe gets the summary, not hundreds of redraws.
 */
final class Progress
        implements AutoCloseable
{
    static final Duration DEFAULT_EVERY = Duration.ofMillis(500);

    private final String label;
    private final Supplier<String> detail;
    private final PrintStream err;
    private final Duration every;
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean done;
    private int lastWidth;

    private Progress(String label, Supplier<String> detail, PrintStream err, Duration every, boolean terminal)
    {
        this.label = requireNonNull(label, "label is null");
        this.detail = requireNonNull(detail, "detail is null");
        this.err = requireNonNull(err, "err is null");
        this.every = requireNonNull(every, "every is null");
        this.thread = terminal ? new Thread(this::run, "progress") : null;
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Shows {@code label: <detail>, N s} on the terminal's standard error, if there is a terminal. */
    static Progress start(String label, Supplier<String> detail)
    {
        return new Progress(label, detail, System.err, DEFAULT_EVERY, System.console() != null);
    }

    static Progress start(String label, Supplier<String> detail, PrintStream err, Duration every, boolean terminal)
    {
        return new Progress(label, detail, err, every, terminal);
    }

    private void run()
    {
        try {
            while (!done) {
                Thread.sleep(every.toMillis());
                synchronized (this) {
                    if (done) {
                        return;
                    }
                    String text = line();
                    // shorter than the last line: pad, or its tail would stay on screen
                    err.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
                    err.flush();
                    // what is on screen: the padding covered the longer line before
                    lastWidth = Math.max(lastWidth, text.length());
                }
            }
        }
        catch (InterruptedException e) {
            // closed
        }
    }

    String line()
    {
        String shown;
        try {
            shown = detail.get();
        }
        catch (RuntimeException e) {
            shown = "";
        }
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        return label + (shown.isEmpty() ? "" : ": " + shown) + ", " + seconds + " s";
    }

    @Override
    public void close()
    {
        done = true;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(1_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (lastWidth > 0) {
                err.print("\r" + " ".repeat(lastWidth) + "\r");
                err.flush();
            }
        }
    }
}
