package io.outrider.core.plugin;

import io.outrider.spi.Event;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestClassLoaderSafeParser
{
    /** A thread that counts how often its context class loader is set. */
    private static final class CountingThread
            extends Thread
    {
        private final List<ClassLoader> set = new ArrayList<>();

        CountingThread(Runnable task)
        {
            super(task, "counting");
        }

        @Override
        public void setContextClassLoader(ClassLoader loader)
        {
            set.add(loader);
            super.setContextClassLoader(loader);
        }
    }

    private static final class RecordingParser
            implements Parser
    {
        private final List<ClassLoader> seen = new ArrayList<>();
        private final boolean fail;

        RecordingParser(boolean fail)
        {
            this.fail = fail;
        }

        @Override
        public ParseResult parse(Event event)
        {
            seen.add(Thread.currentThread().getContextClassLoader());
            if (fail) {
                throw new IllegalStateException("parser bug");
            }
            return ParseResult.unmatched();
        }
    }

    private static List<ClassLoader> runOn(ClassLoader initial, Runnable task)
            throws InterruptedException
    {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountingThread thread = new CountingThread(() -> {
            try {
                task.run();
            }
            catch (Throwable e) {
                failure.set(e);
            }
        });
        thread.setContextClassLoader(initial);
        thread.set.clear();
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return thread.set;
    }

    @Test
    void parseRunsUnderThePluginLoaderAndRestoresTheThreadsLoader()
            throws Exception
    {
        try (URLClassLoader plugin = new URLClassLoader("plugin", new URL[0], null)) {
            ClassLoader agent = getClass().getClassLoader();
            RecordingParser parser = new RecordingParser(false);
            Parser safe = new ClassLoaderSafeParser(parser, plugin);
            AtomicReference<ClassLoader> after = new AtomicReference<>();

            List<ClassLoader> set = runOn(agent, () -> {
                safe.parse(Event.of(Instant.EPOCH, "line"));
                after.set(Thread.currentThread().getContextClassLoader());
            });

            assertThat(parser.seen).containsExactly(plugin);
            assertThat(set).containsExactly(plugin, agent);
            assertThat(after.get()).isSameAs(agent);
        }
    }

    @Test
    void parseOnAThreadThatAlreadyHasThePluginLoaderSetsNothing()
            throws Exception
    {
        try (URLClassLoader plugin = new URLClassLoader("plugin", new URL[0], null)) {
            RecordingParser parser = new RecordingParser(false);
            Parser safe = new ClassLoaderSafeParser(parser, plugin);

            List<ClassLoader> set = runOn(plugin, () -> {
                for (int i = 0; i < 3; i++) {
                    safe.parse(Event.of(Instant.EPOCH, "line " + i));
                }
            });

            assertThat(parser.seen).containsExactly(plugin, plugin, plugin);
            assertThat(set).isEmpty();
        }
    }

    @Test
    void aParserThatThrowsLeavesTheThreadsLoaderRestored()
            throws Exception
    {
        try (URLClassLoader plugin = new URLClassLoader("plugin", new URL[0], null)) {
            ClassLoader agent = getClass().getClassLoader();
            Parser safe = new ClassLoaderSafeParser(new RecordingParser(true), plugin);
            AtomicReference<ClassLoader> after = new AtomicReference<>();

            runOn(agent, () -> {
                assertThatThrownBy(() -> safe.parse(Event.of(Instant.EPOCH, "line"))).isInstanceOf(IllegalStateException.class).hasMessage("parser bug");
                after.set(Thread.currentThread().getContextClassLoader());
            });

            assertThat(after.get()).isSameAs(agent);
        }
    }
}
