package io.outrider.plugin.file;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Reports nothing: the input finds changes by its periodic stat ({@code mode: poll}). */
final class PollingChangeSource
        implements ChangeSource
{
    private boolean woken;

    @Override
    public Set<Path> watch(Set<Path> directories)
    {
        return Set.of();
    }

    @Override
    public boolean watches(Path directory)
    {
        return false;
    }

    @Override
    public boolean watchesEverything()
    {
        return false;
    }

    @Override
    public synchronized Changes await(long timeoutNanos)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!woken) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return Changes.NONE;
    }

    @Override
    public synchronized void wakeUp()
    {
        woken = true;
        notifyAll();
    }

    @Override
    public void close()
    {
        wakeUp();
    }
}
