package io.outrider.core.pipeline;

import io.outrider.core.config.SecretRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The problems one component reported through {@link io.outrider.spi.ComponentContext#reportProblem} and has not
 * cleared, for {@code /status} and {@code /ready}. Thread-safe: the component reports on its own threads, status reads
 * on the status server's. Details are redacted when reported, so no secret is kept here.
 */
public final class ComponentProblems
{
    /** A standing problem: its key, the latest detail, and when it was first reported (epoch milliseconds). */
    public record Problem(String key, String detail, long sinceMillis)
    {
        public Problem
        {
            requireNonNull(key, "key is null");
            requireNonNull(detail, "detail is null");
        }

        /** When the problem began, ISO-8601. */
        public String since()
        {
            return Instant.ofEpochMilli(sinceMillis).toString();
        }
    }

    private final SecretRegistry secrets;
    private final Clock clock;
    // guarded by itself; a handful of entries at most
    private final Map<String, Problem> problems = new LinkedHashMap<>();

    public ComponentProblems(SecretRegistry secrets, Clock clock)
    {
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    void report(String key, String detail)
    {
        String redacted = secrets.redact(detail.strip());
        synchronized (problems) {
            Problem standing = problems.get(key);
            problems.put(key, new Problem(key, redacted, standing != null ? standing.sinceMillis() : clock.millis()));
        }
    }

    void clear(String key)
    {
        synchronized (problems) {
            problems.remove(key);
        }
    }

    void clearAll()
    {
        synchronized (problems) {
            problems.clear();
        }
    }

    /** The standing problems, in the order they were first reported. */
    public List<Problem> standing()
    {
        synchronized (problems) {
            return List.copyOf(problems.values());
        }
    }
}
