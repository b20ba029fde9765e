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
    /** @param messageBytes the message's length in random letters (which do not compress), or null for "one" */
    public record Config(Integer messageBytes)
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
        return new OneEvent(context, config.messageBytes() == null ? "one" : randomLetters(config.messageBytes()));
    }

    private static final class OneEvent
            implements Input
    {
        private final ComponentContext context;
        private final String message;
        private final CountDownLatch closed = new CountDownLatch(1);

        OneEvent(ComponentContext context, String message)
        {
            this.context = context;
            this.message = message;
        }

        @Override
        public void run(Emitter emitter)
                throws Exception
        {
            if (!context.checkpoints().containsKey("sent")) {
                emitter.emit(List.of(Event.builder().timestamp(context.clock().instant()).message(message).build()), Checkpoint.of("sent", "1"));
            }
            closed.await();
        }

        @Override
        public void close()
        {
            closed.countDown();
        }
    }

    private static String randomLetters(int length)
    {
        java.util.Random random = new java.util.Random(length);
        StringBuilder letters = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        return letters.toString();
    }
}
