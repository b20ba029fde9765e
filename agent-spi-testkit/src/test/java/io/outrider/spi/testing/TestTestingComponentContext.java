package io.outrider.spi.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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

    @Test
    void keepsWhatTheComponentLoggedWordForWord(@TempDir Path dir)
    {
        TestingComponentContext context = TestingComponentContext.builder(dir).pipelineId("ssh").componentId("auth_log").build();
        System.Logger logger = context.logger();
        assertThat(logger.getName()).isEqualTo("outrider.ssh.auth_log");
        assertThat(logger.isLoggable(System.Logger.Level.TRACE)).isTrue();

        logger.log(System.Logger.Level.INFO, "reading {0} from the beginning", "/var/log/auth.log");
        logger.log(System.Logger.Level.DEBUG, () -> "path /var/log/*.log matches 2 files");
        logger.log(System.Logger.Level.WARNING, "cannot read /var/log/secure", new IOException("permission denied"));
        logger.log(System.Logger.Level.ERROR, "a literal {0} stays as it is");

        assertThat(context.logged()).containsExactly(
                "INFO reading /var/log/auth.log from the beginning",
                "DEBUG path /var/log/*.log matches 2 files",
                "WARNING cannot read /var/log/secure java.io.IOException: permission denied",
                "ERROR a literal {0} stays as it is");
    }

    @Test
    void aRestartedComponentLogsOnToTheSameLines(@TempDir Path dir)
    {
        TestingComponentContext context = TestingComponentContext.builder(dir).componentId("auth_log").build();
        context.logger().log(System.Logger.Level.INFO, "before");
        TestingComponentContext restarted = context.withCheckpoints(Map.of("k", "v"));
        restarted.logger().log(System.Logger.Level.INFO, "after");
        TestingComponentContext other = context.toBuilder().componentId("other").build();
        other.logger().log(System.Logger.Level.INFO, "elsewhere");

        assertThat(context.logged()).containsExactly("INFO before", "INFO after");
        assertThat(other.logged()).containsExactly("INFO elsewhere");
    }
}
