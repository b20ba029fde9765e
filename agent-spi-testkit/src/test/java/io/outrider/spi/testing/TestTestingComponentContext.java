package io.outrider.spi.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestTestingComponentContext
{
    @Test
    void restartKeepsStoreAndMetricsButTakesNewCheckpoints(@TempDir Path dir)
    {
        TestingComponentContext context = TestingComponentContext.builder(dir).componentId("auth_log").build();
        context.store().put("a/1", "x");
        context.store().put("b/1", "y");
        context.metrics().counter("rotations_total", "").add(2);
        TestingComponentContext restarted = context.withCheckpoints(Map.of("k", "v"));
        assertThat(restarted.checkpoints()).isEqualTo(Map.of("k", "v"));
        assertThat(restarted.store().entries("a/")).isEqualTo(Map.of("a/1", "x"));
        assertThat(restarted.metrics().counterValue("rotations_total")).isEqualTo(2);
        assertThat(restarted.componentId()).isEqualTo("auth_log");
        assertThat(restarted.dataDirectory()).isDirectory();
    }
}
