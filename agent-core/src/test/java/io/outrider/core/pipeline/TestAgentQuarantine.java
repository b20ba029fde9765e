package io.outrider.core.pipeline;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.outrider.core.AgentModule;
import io.outrider.core.cli.Bootstrap;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.InputFactory;
import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** An agent that finds its buffer damaged says so with the file and where it went, counts it, and runs on a new one. */
@Timeout(60)
class TestAgentQuarantine
{
    private final List<String> problems = new CopyOnWriteArrayList<>();
    // held in a field: java.util.logging keeps its loggers weakly
    private final Logger storageLogger = Logger.getLogger(SqliteBuffer.class.getName());
    private final Handler capture = new Handler()
    {
        @Override
        public void publish(LogRecord record)
        {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                problems.add(record.getLevel() + " " + record.getMessage());
            }
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    };

    @Test
    void aDamagedBufferIsSaidWithItsFileCountedInMetricsAndReplaced(@TempDir Path dir)
            throws Exception
    {
        Path data = dir.resolve("data");
        Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = data.resolve(SqliteBuffer.FILE_NAME);
        Files.writeString(file, "this is not a database, it is long enough to have a header though".repeat(100), StandardCharsets.UTF_8);
        Path config = dir.resolve("outrider.yaml");
        Files.writeString(config, """
                agent:
                  data_dir: %s
                  plugins_dir: %s
                  shutdown_timeout: 5s
                pipelines:
                  p:
                    inputs:
                      one: { type: one_event }
                    outputs:
                      memory: { type: memory, delivery: { max_wait: 20ms } }
                """.formatted(data, dir.resolve("plugins")));
        RecordingOutputPlugin recorder = new RecordingOutputPlugin();
        Plugin input = new Plugin()
        {
            @Override
            public List<InputFactory<?>> inputFactories()
            {
                return List.of(new OneEventInputFactory());
            }
        };
        SecretRegistry secrets = new SecretRegistry();
        Bootstrap.Loaded loaded = new Bootstrap(Map.of(), secrets)
                .withExtraPlugins(List.of(new LoadedPlugin("recorder", Optional.empty(), "1", SpiVersion.CURRENT, recorder, getClass().getClassLoader()),
                        new LoadedPlugin("one", Optional.empty(), "1", SpiVersion.CURRENT, input, getClass().getClassLoader())))
                .load(Optional.of(config));

        storageLogger.addHandler(capture);
        Agent agent;
        Injector injector;
        try {
            injector = Guice.createInjector(Stage.PRODUCTION, new AgentModule(loaded.configuration(), secrets, Clock.systemUTC()));
            agent = injector.getInstance(Agent.class);
        }
        finally {
            storageLogger.removeHandler(capture);
        }
        try {
            agent.start();
            assertThat(recorder.await(1, Duration.ofSeconds(30))).hasSize(1);
            assertThat(injector.getInstance(AgentMetrics.class).scrape()).containsSubsequence(
                    "# TYPE outrider_buffer_quarantined_files_total counter\n", "outrider_buffer_quarantined_files_total 1.0\n");
        }
        finally {
            agent.stop();
        }

        Path moved;
        try (Stream<Path> files = Files.list(data)) {
            moved = files.filter(path -> path.getFileName().toString().endsWith(".bad")).findFirst().orElseThrow();
        }
        assertThat(problems).containsExactly("SEVERE buffer " + file + " is damaged (File opened that is not a database file); moved it aside to " + moved
                + "; the events it held that were not yet delivered are lost with it; no copy of the input positions exists (" + data.resolve("checkpoints.json")
                + "): inputs start from their configured start position");
    }
}
