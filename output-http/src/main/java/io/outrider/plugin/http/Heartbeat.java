package io.outrider.plugin.http;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.DeliveryResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * The LiteSOC agent heartbeat: {@code POST {endpoint}/agent/heartbeat} with {@code {"hostname":"web-01","agent_version":"x.y.z"}} at
 * start-up and every interval, independent of event traffic. Its state is published as metrics:
 * {@code heartbeats_total} (heartbeats sent), {@code heartbeat_failures_total} (of those, the ones that failed) and
 * {@code heartbeat_last_success_seconds} (epoch seconds of the last accepted heartbeat, 0 before the first).
 *
 * <p>A failure is logged when it starts or its reason changes, and recovery once, so a collector that stays down
 * does not fill the log every interval. While heartbeats fail, the output reports the problem {@value #PROBLEM}
 * ({@link ComponentContext#reportProblem}): status shows it and readiness answers 503, since the collector shows the
 * agent offline even while events are delivered; the next accepted heartbeat clears it.
 */
final class Heartbeat
{
    /** The key of the problem a failing heartbeat reports. */
    static final String PROBLEM = "heartbeat";

    private final Call call;
    private final ComponentContext context;
    private final HeartbeatScheduler scheduler;
    private final Duration interval;
    private final Clock clock;
    private final System.Logger logger;
    private final String target;
    private final ComponentMetrics.Counter sent;
    private final ComponentMetrics.Counter failures;
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    private volatile String lastFailure;

    /** One heartbeat request, classified like a delivery. */
    interface Call
    {
        DeliveryResult send()
                throws InterruptedException;
    }

    Heartbeat(Call call, HeartbeatScheduler scheduler, Duration interval, ComponentContext context, System.Logger logger, String target)
    {
        this.call = requireNonNull(call, "call is null");
        this.context = requireNonNull(context, "context is null");
        Clock clock = context.clock();
        ComponentMetrics metrics = context.metrics();
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.clock = clock;
        this.logger = requireNonNull(logger, "logger is null");
        this.target = requireNonNull(target, "target is null");
        this.sent = metrics.counter("heartbeats_total", "LiteSOC heartbeats sent");
        this.failures = metrics.counter("heartbeat_failures_total", "LiteSOC heartbeats that failed");
        metrics.gauge("heartbeat_last_success_seconds", "epoch seconds of the last heartbeat LiteSOC accepted (0: none yet)",
                () -> {
                    Instant last = lastSuccess.get();
                    return last == null ? 0 : last.toEpochMilli() / 1000.0;
                });
    }

    void start()
    {
        scheduler.start(this::beat, interval);
    }

    void stop()
    {
        scheduler.stop();
    }

    /** The time of the last accepted heartbeat, null before the first. */
    Instant lastSuccess()
    {
        return lastSuccess.get();
    }

    // runs on the scheduler's thread; must not throw, or a ScheduledExecutorService silently stops repeating it
    private void beat()
    {
        DeliveryResult result;
        try {
            result = call.send();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        catch (RuntimeException e) {
            result = DeliveryResult.retryLater("heartbeat failed: " + e.getClass().getSimpleName());
        }
        sent.increment();
        if (result.kind() == DeliveryResult.Kind.DELIVERED) {
            lastSuccess.set(clock.instant());
            if (lastFailure != null) {
                logger.log(INFO, "LiteSOC heartbeat to {0} succeeds again", target);
                lastFailure = null;
                context.clearProblem(PROBLEM);
            }
            return;
        }
        failures.increment();
        String reason = result.reason();
        if (!reason.equals(lastFailure)) {
            logger.log(WARNING, "LiteSOC heartbeat failed ({0}): {1}", result.kind(), reason);
            lastFailure = reason;
            Instant last = lastSuccess.get();
            context.reportProblem(PROBLEM, "LiteSOC heartbeats fail: " + reason + "; LiteSOC shows this agent offline"
                    + (last == null ? " (no heartbeat accepted since the start)" : " (last accepted " + last + ")")
                    + ", while events are delivered as the output's state says");
        }
    }
}
