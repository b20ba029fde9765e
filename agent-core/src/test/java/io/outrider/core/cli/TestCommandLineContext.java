package io.outrider.core.cli;

import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestCommandLineContext
{
    @Test
    void namesTheComponentByItsTypeInTheParsePipeline()
    {
        CommandLineContext context = new CommandLineContext("sshd", "web1");

        assertThat(context.pipelineId()).isEqualTo("parse");
        assertThat(context.componentId()).isEqualTo("sshd");
        assertThat(context.componentType()).isEqualTo("sshd");
        assertThat(context.hostName()).isEqualTo("web1");
        assertThat(context.checkpoints()).isEmpty();
    }

    @Test
    void keepsStateInMemoryAcrossStoreViews()
    {
        CommandLineContext context = new CommandLineContext("sshd", "web1");
        KeyValueStore store = context.store();
        store.put("session.b", "2");
        store.put("session.a", "1");
        store.put("other", "x");
        context.store().remove("other");

        assertThat(context.store().get("session.a")).isEqualTo(Optional.of("1"));
        assertThat(context.store().get("other")).isEmpty();
        assertThat(context.store().entries("session.")).containsExactly(Map.entry("session.a", "1"), Map.entry("session.b", "2"));
    }

    @Test
    void theDataDirectoryIsOneForTheRunAndGoneWhenItEnds()
            throws Exception
    {
        Path directory;
        try (CommandLineContext context = new CommandLineContext("sshd", "web1")) {
            directory = context.dataDirectory();
            Files.writeString(directory.resolve("state"), "kept for the run");
            Files.createDirectories(directory.resolve("nested")).resolve("more");

            assertThat(context.dataDirectory()).isEqualTo(directory);
            assertThat(directory.resolve("state")).hasContent("kept for the run");
        }
        assertThat(directory).doesNotExist();
        // a context whose parser never asked for a directory closes without one
        new CommandLineContext("sshd", "web1").close();
    }

    @Test
    void countersCount()
    {
        ComponentMetrics.Counter counter = new CommandLineContext("sshd", "web1").metrics().counter("lines_total", "lines");
        counter.add(2);
        counter.add(3);

        assertThat(counter.get()).isEqualTo(5);
    }

    @Test
    void refusesTheMetricsTheAgentRefuses()
    {
        ComponentMetrics metrics = new CommandLineContext("sshd", "web1").metrics();
        metrics.gauge("sessions", "open sessions", () -> 1);

        assertThatThrownBy(() -> metrics.counter("Lines", "lines")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric name 'Lines' must be lower snake case");
        assertThatThrownBy(() -> metrics.counter("sessions", "again")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'sessions' is already a gauge");
        assertThatThrownBy(() -> metrics.counter("lines", "lines").add(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a counter cannot decrease: -1");
    }
}
