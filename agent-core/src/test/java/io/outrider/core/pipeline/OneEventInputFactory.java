package io.outrider.core.pipeline;

import io.outrider.spi.Checkpoint;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Input type {@code one_event} for tests of a real agent: emits one event ("one") on its first run, then waits to be
 * closed. Enough to make an output deliver (or refuse) once.
 */
public final class OneEventInputFactory
        implements InputFactory<OneEventInputFactory.Config>
{
    public record Config()
    {
    }

    @Override
    public String type()
    {
        return "one_event";
    }

    @Override
    public Class<Config> configClass()
    {
        return Config.class;
    }

    @Override
    public Input create(Config config, ComponentContext context)
    {
        return new OneEvent(context);
    }

    private static final class OneEvent
            implements Input
    {
        private final ComponentContext context;
        private final CountDownLatch closed = new CountDownLatch(1);

        OneEvent(ComponentContext context)
        {
            this.context = context;
        }

        @Override
        public void run(Emitter emitter)
                throws Exception
        {
            if (!context.checkpoints().containsKey("sent")) {
                emitter.emit(List.of(Event.builder().timestamp(context.clock().instant()).message("one").build()), Checkpoint.of("sent", "1"));
            }
            closed.await();
        }

        @Override
        public void close()
        {
            closed.countDown();
        }
    }
}
