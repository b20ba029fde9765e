package io.outrider.core.pipeline;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.outrider.core.AgentModule;
import io.outrider.core.cli.Bootstrap;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.delivery.DropReport;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Input;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A running agent whose buffer overflows says its drops at WARN through its DropReport, and the lines add up to the counter. */
@Timeout(120)
class TestAgentDropReport
{
    private static final int EVENTS = 40;
    private static final Pattern FIRST = Pattern.compile("buffer full: dropped (?:the oldest undelivered event|the (\\d+) oldest undelivered events) of pipeline big"
            + "(?: \\(\\d+ already being sent, not counted as dropped once delivered\\))?: the buffer reached buffer\\.max_bytes \\(1MiB\\) and buffer\\.when_full is drop_oldest;"
            + " dropped events are lost and counted in outrider_buffer_dropped_events_total\\. To lose none, let the outputs catch up, raise buffer\\.max_bytes,"
            + " or set buffer\\.when_full: block to slow the inputs down instead");
    private static final Pattern SUMMARY = Pattern.compile("buffer full: dropped (\\d+) more undelivered events? of pipeline big in \\d+ drops? since the last such message"
            + " \\(buffer\\.max_bytes 1MiB reached, buffer\\.when_full: drop_oldest\\)(?:; \\d+ of them (?:was|were) already being sent and (?:is|are) not counted as dropped once delivered)?");

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    // held in a field: java.util.logging keeps its loggers weakly
    private final Logger reportLogger = Logger.getLogger(DropReport.class.getName());
    private final Handler capture = new Handler()
    {
        @Override
        public void publish(LogRecord record)
        {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
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
    void dropsAreSaidOnceThenSummedAndAddUpToTheCounter(@TempDir Path dir)
            throws Exception
    {
        Path config = dir.resolve("outrider.yaml");
        Files.writeString(config, """
                agent:
                  data_dir: %s
                  plugins_dir: %s
                  shutdown_timeout: 1s
                  buffer: { max_bytes: 1MiB, when_full: drop_oldest }
                pipelines:
                  big:
                    inputs:
                      large: { type: large, count: %d }
                    outputs:
                      stalled: { type: stalled }
                """.formatted(dir.resolve("data"), dir.resolve("plugins"), EVENTS));
        OverflowPlugin plugin = new OverflowPlugin();
        SecretRegistry secrets = new SecretRegistry();
        Bootstrap.Loaded loaded = new Bootstrap(Map.of(), secrets)
                .withExtraPlugins(List.of(new LoadedPlugin("overflow", Optional.empty(), "1", SpiVersion.CURRENT, plugin, getClass().getClassLoader())))
                .load(Optional.of(config));
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new AgentModule(loaded.configuration(), secrets, Clock.systemUTC()));
        Agent agent = injector.getInstance(Agent.class);
        reportLogger.addHandler(capture);
        long counted;
        try {
            agent.start();
            try {
                assertThat(plugin.emitted.await(60, TimeUnit.SECONDS)).as("the input emitted everything").isTrue();
                // the output acknowledges nothing: after the input's last append the counter no longer moves
                Matcher metric = Pattern.compile("(?m)^outrider_buffer_dropped_events_total\\{pipeline=\"big\"} (\\d+)\\.0$").matcher(injector.getInstance(AgentMetrics.class).scrape());
                assertThat(metric.find()).isTrue();
                counted = Long.parseLong(metric.group(1));
            }
            finally {
                agent.stop();
            }
        }
        finally {
            reportLogger.removeHandler(capture);
        }

        assertThat(counted).isPositive();
        assertThat(warnings).hasSizeGreaterThanOrEqualTo(2).hasSizeLessThan((int) counted);
        Matcher first = FIRST.matcher(warnings.get(0));
        assertThat(first.matches()).as(warnings.get(0)).isTrue();
        long said = first.group(1) == null ? 1 : Long.parseLong(first.group(1));
        for (String line : warnings.subList(1, warnings.size())) {
            Matcher summary = SUMMARY.matcher(line);
            assertThat(summary.matches()).as(line).isTrue();
            said += Long.parseLong(summary.group(1));
        }
        assertThat(said).as("every dropped event is in some line").isEqualTo(counted);
        try (SqliteBuffer buffer = SqliteBuffer.open(dir.resolve("data"), new AgentSettings.BufferSettings(null, null, null), Clock.systemUTC())) {
            assertThat(buffer.droppedEvents("big")).isEqualTo(counted);
        }
    }

    /** Input {@code large} appends {@code count} events of 100,000 characters one by one; output {@code stalled} never delivers. */
    private static final class OverflowPlugin
            implements Plugin
    {
        record Config(Integer count)
        {
        }

        record NoConfig()
        {
        }

        private final CountDownLatch emitted = new CountDownLatch(1);

        @Override
        public List<InputFactory<?>> inputFactories()
        {
            return List.of(new InputFactory<Config>()
            {
                @Override
                public String type()
                {
                    return "large";
                }

                @Override
                public Class<Config> configClass()
                {
                    return Config.class;
                }

                @Override
                public Input create(Config config, ComponentContext context)
                {
                    CountDownLatch closed = new CountDownLatch(1);
                    return new Input()
                    {
                        @Override
                        public void run(Emitter emitter)
                                throws Exception
                        {
                            for (int i = 0; i < config.count(); i++) {
                                emitter.emit(List.of(Event.builder().timestamp(context.clock().instant()).message(String.format("%06d", i) + "x".repeat(100_000)).build()),
                                        Checkpoint.of("next", String.valueOf(i + 1)));
                            }
                            emitted.countDown();
                            closed.await();
                        }

                        @Override
                        public void close()
                        {
                            closed.countDown();
                        }
                    };
                }
            });
        }

        @Override
        public List<OutputFactory<?>> outputFactories()
        {
            return List.of(new OutputFactory<NoConfig>()
            {
                @Override
                public String type()
                {
                    return "stalled";
                }

                @Override
                public Class<NoConfig> configClass()
                {
                    return NoConfig.class;
                }

                @Override
                public Output create(NoConfig config, ComponentContext context)
                {
                    return new Output()
                    {
                        @Override
                        public DeliveryResult deliver(List<Event> batch)
                        {
                            return DeliveryResult.retryLater("collector down", Duration.ofSeconds(1));
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
