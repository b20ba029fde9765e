package io.outrider.core.pipeline;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.outrider.core.AgentModule;
import io.outrider.core.cli.Bootstrap;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.InputFactory;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dead letter replayed for the output that refused it is that output's backlog only: the output that delivered
 * the event already shows none.
 */
@Timeout(90)
class TestAgentBacklog
{
    @Test
    void aReplayedDeadLetterIsInTheRefusingOutputsBacklogOnly(@TempDir Path dir)
            throws Exception
    {
        Path data = dir.resolve("data");
        RecordingOutputPlugin memory = new RecordingOutputPlugin();
        Running first = start(dir, "refuse", memory);
        try {
            assertThat(memory.await(1, Duration.ofSeconds(30))).hasSize(1);
            SqliteBuffer buffer = first.buffer();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (buffer.deadLetterCount("p", "picky") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(buffer.deadLetterCount("p", "picky")).isEqualTo(1);
        }
        finally {
            first.stop();
        }
        // what `outrider dead-letters replay` does, without the agent running
        try (SqliteBuffer buffer = SqliteBuffer.open(data, new AgentSettings.BufferSettings(null, null, null), Clock.systemUTC())) {
            assertThat(buffer.replayDeadLetters(Optional.empty(), Optional.empty(), SqliteBuffer.ReplayTo.REFUSING_OUTPUT).replayed()).isEqualTo(1);
        }

        Running second = start(dir, "retry", new RecordingOutputPlugin());
        try {
            String metrics = second.metrics().scrape();
            assertThat(metrics)
                    .contains("outrider_output_backlog_events{component=\"memory\",pipeline=\"p\",type=\"memory\"} 0.0\n")
                    .contains("outrider_output_backlog_events{component=\"picky\",pipeline=\"p\",type=\"picky\"} 1.0\n")
                    .contains("outrider_output_lag_seconds{component=\"memory\",pipeline=\"p\",type=\"memory\"} 0.0\n");
        }
        finally {
            second.stop();
        }
    }

    private Running start(Path dir, String pickyMode, RecordingOutputPlugin memory)
            throws Exception
    {
        Path config = dir.resolve("outrider.yaml");
        Files.writeString(config, """
                agent:
                  data_dir: %s
                  plugins_dir: %s
                  shutdown_timeout: 1s
                pipelines:
                  p:
                    inputs:
                      one: { type: one_event }
                    outputs:
                      memory: { type: memory, delivery: { max_wait: 20ms } }
                      picky: { type: picky, mode: %s, delivery: { max_wait: 20ms } }
                """.formatted(dir.resolve("data"), dir.resolve("plugins"), pickyMode));
        SecretRegistry secrets = new SecretRegistry();
        Bootstrap.Loaded loaded = new Bootstrap(Map.of(), secrets)
                .withExtraPlugins(List.of(new LoadedPlugin("recorder", Optional.empty(), "1", SpiVersion.CURRENT, memory, getClass().getClassLoader()),
                        new LoadedPlugin("picky", Optional.empty(), "1", SpiVersion.CURRENT, new PickyPlugin(), getClass().getClassLoader())))
                .load(Optional.of(config));
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new AgentModule(loaded.configuration(), secrets, Clock.systemUTC()));
        Agent agent = injector.getInstance(Agent.class);
        agent.start();
        return new Running(agent, injector);
    }

    /** The running agent and what the test reads of it. */
    private record Running(Agent agent, Injector injector)
    {
        SqliteBuffer buffer()
        {
            return injector.getInstance(SqliteBuffer.class);
        }

        AgentMetrics metrics()
        {
            return injector.getInstance(AgentMetrics.class);
        }

        void stop()
        {
            agent.stop();
        }
    }

    /** Input {@code one_event}, and output {@code picky}: {@code mode: refuse} refuses every event for good, {@code mode: retry} never gets through. */
    private static final class PickyPlugin
            implements Plugin
    {
        record Config(String mode)
        {
        }

        @Override
        public List<InputFactory<?>> inputFactories()
        {
            return List.of(new OneEventInputFactory());
        }

        @Override
        public List<OutputFactory<?>> outputFactories()
        {
            return List.of(new OutputFactory<Config>()
            {
                @Override
                public String type()
                {
                    return "picky";
                }

                @Override
                public Class<Config> configClass()
                {
                    return Config.class;
                }

                @Override
                public Output create(Config config, ComponentContext context)
                {
                    return new Output()
                    {
                        @Override
                        public DeliveryResult deliver(List<Event> batch)
                        {
                            return "refuse".equals(config.mode()) ? DeliveryResult.rejected("HTTP 400: unknown field") : DeliveryResult.retryLater("collector down", Duration.ofSeconds(1));
                        }

                        @Override
                        public void close()
                        {
                        }
                    };
                }
            });
        }
    }
}
