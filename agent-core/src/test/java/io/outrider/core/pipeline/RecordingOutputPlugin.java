package io.outrider.core.pipeline;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A plugin object (installed directly by tests) with an output type {@code memory} that records what it gets. */
final class RecordingOutputPlugin
        implements Plugin
{
    record Config(Boolean failFirst)
    {
    }

    private final List<Event> delivered = new ArrayList<>();
    private int attempts;

    @Override
    public List<OutputFactory<?>> outputFactories()
    {
        return List.of(new OutputFactory<Config>()
        {
            @Override
            public String type()
            {
                return "memory";
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
                        synchronized (RecordingOutputPlugin.this) {
                            attempts++;
                            if (Boolean.TRUE.equals(config.failFirst()) && attempts == 1) {
                                return DeliveryResult.retryLater("collector warming up", Duration.ofMillis(10));
                            }
                            delivered.addAll(batch);
                            RecordingOutputPlugin.this.notifyAll();
                            return DeliveryResult.delivered();
                        }
                    }

                    @Override
                    public void close()
                    {
                    }
                };
            }
        });
    }

    synchronized List<Event> delivered()
    {
        return List.copyOf(delivered);
    }

    synchronized List<Event> await(int count, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (delivered.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + count + " events; have " + delivered.size());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(delivered);
    }
}
