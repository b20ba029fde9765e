package io.outrider.plugin.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Logs a warning at most once per interval: a collector that rejects every batch must not flood the agent's log.
 * The warnings held back are counted and named in the next one that is logged, so none disappears silently.
 * Thread-safe.
 */
final class RateLimitedWarning
{
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private final System.Logger logger;
    private final Clock clock;
    private final Duration interval;
    private Instant lastLogged;
    private long suppressed;

    RateLimitedWarning(System.Logger logger, Clock clock, Duration interval)
    {
        this.logger = requireNonNull(logger, "logger is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.interval = requireNonNull(interval, "interval is null");
    }

    /** Logs {@code message} (plain text, not a pattern) unless a warning was logged less than the interval ago. */
    synchronized void warn(String message)
    {
        Instant now = clock.instant();
        if (lastLogged != null && now.isBefore(lastLogged.plus(interval))) {
            suppressed++;
            return;
        }
        String held = suppressed == 0 ? "" : " (" + suppressed + " similar warning(s) in the last " + describe(interval) + " not logged)";
        lastLogged = now;
        suppressed = 0;
        // the text is a parameter, not a pattern: a collector's braces and quotes reach the log as they are
        logger.log(WARNING, "{0}", message + held);
    }

    private static String describe(Duration duration)
    {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }
}
