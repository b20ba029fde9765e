package io.outrider.core.plugin;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestClassLoaderSafeInputFactory
{
    record NoConfig() {}

    /** A factory of inputs that work in rounds, recording the context class loader each call saw. */
    private static final class RoundsFactory
            implements InputFactory<NoConfig>
    {
        private final List<ClassLoader> seen = new ArrayList<>();

        @Override
        public String type()
        {
            return "rounds";
        }

        @Override
        public Class<NoConfig> configClass()
        {
            return NoConfig.class;
        }

        @Override
        public boolean worksInRounds()
        {
            seen.add(Thread.currentThread().getContextClassLoader());
            return true;
        }

        @Override
        public Input create(NoConfig config, ComponentContext context)
        {
            throw new UnsupportedOperationException("never created here");
        }
    }

    @Test
    void worksInRoundsReachesThePluginUnderItsClassLoader()
            throws Exception
    {
        RoundsFactory factory = new RoundsFactory();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader pluginLoader = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
            ClassLoaderSafeInputFactory<NoConfig> safe = new ClassLoaderSafeInputFactory<>(factory, pluginLoader);

            assertThat(safe.worksInRounds()).isTrue();

            assertThat(factory.seen).containsExactly(pluginLoader);
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
        }
    }

    @Test
    void theWrapperOverridesEveryMethodOfInputFactory()
    {
        // a default method the wrapper does not override answers with the SPI's default, never the plugin's own
        List<String> missing = Arrays.stream(InputFactory.class.getMethods())
                .filter(method -> !Modifier.isStatic(method.getModifiers()))
                .filter(method -> !declares(ClassLoaderSafeInputFactory.class, method) && !declares(ClassLoaderSafeFactory.class, method))
                .map(Method::getName)
                .toList();
        assertThat(missing).isEmpty();
    }

    private static boolean declares(Class<?> type, Method method)
    {
        try {
            type.getDeclaredMethod(method.getName(), method.getParameterTypes());
            return true;
        }
        catch (NoSuchMethodException e) {
            return false;
        }
    }
}
