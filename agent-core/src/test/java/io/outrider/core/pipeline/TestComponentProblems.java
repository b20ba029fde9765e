package io.outrider.core.pipeline;

import io.outrider.core.config.SecretRegistry;
import io.outrider.core.metrics.AgentMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a component reports through its context ends up redacted in its problems, keeps its start, and goes when cleared. */
class TestComponentProblems
{
    @TempDir
    Path directory;

    @Test
    void aReportKeepsItsStartAcrossNewDetailsAndAClearEndsIt()
    {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T10:00:00Z"));
        Clock clock = new Clock()
        {
            @Override
            public ZoneOffset getZone()
            {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone)
            {
                return this;
            }

            @Override
            public Instant instant()
            {
                return now.get();
            }
        };
        SecretRegistry secrets = new SecretRegistry();
        secrets.register("lsk-0123456789abcdef");
        ComponentProblems problems = new ComponentProblems(secrets, clock);
        RuntimeComponentContext context = new RuntimeComponentContext("auth", "soc", "http", Map.of(), directory, new MemoryKeyValueStore(),
                new AgentMetrics().forComponent("auth", "soc", "http"), clock, "host", "1.0", Optional.empty(), Optional.empty(), problems);

        context.reportProblem("heartbeat", "  heartbeats fail: HTTP 404 for key lsk-0123456789abcdef ");
        now.set(now.get().plusSeconds(60));
        context.reportProblem("heartbeat", "heartbeats fail: HTTP 503");
        context.reportProblem("journal_2", "the journal is gone");

        assertThat(problems.standing()).containsExactly(
                new ComponentProblems.Problem("heartbeat", "heartbeats fail: HTTP 503", Instant.parse("2026-12-07T10:00:00Z").toEpochMilli()),
                new ComponentProblems.Problem("journal_2", "the journal is gone", Instant.parse("2026-12-07T10:01:00Z").toEpochMilli()));

        context.reportProblem("heartbeat", "heartbeats fail for lsk-0123456789abcdef");
        assertThat(problems.standing().get(0).detail()).isEqualTo("heartbeats fail for ******");

        context.clearProblem("heartbeat");
        context.clearProblem("never_reported");
        assertThat(problems.standing()).extracting(ComponentProblems.Problem::key).containsExactly("journal_2");
        assertThat(problems.standing().get(0).since()).isEqualTo("2026-12-07T10:01:00Z");
    }

    @Test
    void aKeyOrDetailOutsideTheContractIsRefusedWithTheReason()
    {
        ComponentProblems problems = new ComponentProblems(new SecretRegistry(), Clock.systemUTC());
        RuntimeComponentContext context = new RuntimeComponentContext("auth", "soc", "http", Map.of(), directory, new MemoryKeyValueStore(),
                new AgentMetrics().forComponent("auth", "soc", "http"), Clock.systemUTC(), "host", "1.0", Optional.empty(), Optional.empty(), problems);

        assertThatThrownBy(() -> context.reportProblem("Heart beat", "fails")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("problem key 'Heart beat' may hold lower-case letters, digits and underscores only");
        assertThatThrownBy(() -> context.reportProblem("", "fails")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a problem key is 1 to 64 characters: ''");
        assertThatThrownBy(() -> context.reportProblem("heartbeat", " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the detail of problem 'heartbeat' is blank; say what fails and what it means");
        assertThatThrownBy(() -> context.clearProblem(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a problem key is 1 to 64 characters: null");
        assertThat(problems.standing()).isEmpty();
    }
}
