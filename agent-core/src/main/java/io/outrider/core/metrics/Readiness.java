package io.outrider.core.metrics;

import io.outrider.core.pipeline.Agent;
import io.outrider.core.pipeline.ComponentState;
import io.outrider.core.pipeline.OutputHealth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Readiness, as {@code /ready} answers it: ready when the agent runs, its buffer takes events and every output is
 * delivering or idle; otherwise not ready, naming a buffer whose disk is full (every input waits) and each output that
 * is retrying, paused because the collector refused the credentials, failed, or dead-lettered events within the last
 * {@link #DEAD_LETTER_WINDOW}, and, under {@code reported}, each problem a component reported itself and has not cleared
 * ({@link io.outrider.spi.ComponentContext#reportProblem}: an output's failing heartbeat). Liveness ({@code /health}) is not
 * decided here: a process that answers is alive, and restarting it would not make a collector accept events.
 */
record Readiness(boolean ready, Map<String, Object> body)
{
    /** How long an output that dead-lettered events counts as degraded after the last of them. */
    static final Duration DEAD_LETTER_WINDOW = Duration.ofMinutes(5);

    Readiness
    {
        requireNonNull(body, "body is null");
        body = Collections.unmodifiableMap(new LinkedHashMap<>(body)); // in order: the JSON answer keeps it
    }

    static Readiness of(Agent agent, long nowMillis)
    {
        if (!agent.isRunning()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "not_running");
            body.put("detail", "the agent is starting, stopping or reloading");
            return new Readiness(false, body);
        }
        List<Map<String, Object>> degraded = new ArrayList<>();
        for (OutputHealth output : agent.outputHealth()) {
            Map<String, Object> problem = problem(output, nowMillis);
            if (problem != null) {
                degraded.add(problem);
            }
        }
        List<Map<String, Object>> reported = new ArrayList<>();
        for (Agent.ReportedProblem problem : agent.reportedProblems()) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pipeline", problem.pipeline());
            answer.put(problem.kind(), problem.component());
            answer.put("type", problem.type());
            answer.put("problem", problem.problem().key());
            answer.put("detail", problem.problem().detail());
            answer.put("since", problem.problem().since());
            reported.add(answer);
        }
        boolean diskFull = agent.bufferDiskFull();
        boolean ready = degraded.isEmpty() && reported.isEmpty() && !diskFull;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "degraded");
        if (diskFull) {
            Map<String, Object> buffer = new LinkedHashMap<>();
            buffer.put("problem", "disk_full");
            buffer.put("detail", "the buffer's disk is full (it keeps " + agent.bufferMinFreeDisk() / 1024
                    + " KiB free, buffer.min_free_disk): inputs are held back, and go on when there is room");
            body.put("buffer", buffer);
        }
        if (!degraded.isEmpty()) {
            body.put("outputs", List.copyOf(degraded));
        }
        if (!reported.isEmpty()) {
            body.put("reported", List.copyOf(reported));
        }
        return new Readiness(ready, body);
    }

    /** What is wrong with {@code output}, or null when it is delivering or idle. */
    private static Map<String, Object> problem(OutputHealth output, long nowMillis)
    {
        String problem;
        String detail;
        String at = null;
        if (output.state() == ComponentState.RETRYING) {
            problem = "retrying";
            detail = "the collector cannot take events now; they stay buffered and are retried: " + output.lastError();
        }
        else if (output.state() == ComponentState.UNAUTHORIZED) {
            problem = "paused_unauthorized";
            detail = "the collector refused the credentials; delivery is paused and tried again now and then: " + output.lastError();
        }
        else if (output.state() == ComponentState.FAILED) {
            problem = "failed";
            detail = "delivery stopped: " + output.lastError();
        }
        else if (output.state() != ComponentState.RUNNING) {
            problem = output.state().label();
            detail = "the output is not delivering";
        }
        else if (output.lastDeadLetteredMillis() > 0 && nowMillis - output.lastDeadLetteredMillis() < DEAD_LETTER_WINDOW.toMillis()) {
            problem = "dead_lettered";
            detail = "events were refused within the last " + DEAD_LETTER_WINDOW.toMinutes() + " minutes (they are in the dead letters): "
                    + output.lastDeadLetterReason();
            at = Instant.ofEpochMilli(output.lastDeadLetteredMillis()).toString();
        }
        else {
            return null;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("pipeline", output.pipeline());
        answer.put("output", output.output());
        answer.put("type", output.type());
        answer.put("problem", problem);
        answer.put("detail", detail);
        if (at != null) {
            answer.put("last_dead_lettered", at);
        }
        return answer;
    }
}
