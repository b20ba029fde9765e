package io.outrider.core.plugin;

import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Output;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestClassLoaderSafeOutput
{
    @Test
    void everyOutputMethodReachesThePluginUnderItsLoaderIncludingProbe()
            throws Exception
    {
        List<String> calls = new ArrayList<>();
        try (URLClassLoader pluginLoader = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
            Output plugin = new Output()
            {
                @Override
                public void start()
                {
                    calls.add("start " + (Thread.currentThread().getContextClassLoader() == pluginLoader));
                }

                @Override
                public DeliveryResult deliver(List<Event> batch)
                {
                    calls.add("deliver " + (Thread.currentThread().getContextClassLoader() == pluginLoader));
                    return DeliveryResult.delivered();
                }

                @Override
                public Optional<DeliveryResult> probe()
                {
                    calls.add("probe " + (Thread.currentThread().getContextClassLoader() == pluginLoader));
                    return Optional.of(DeliveryResult.unauthorized("key refused"));
                }

                @Override
                public void close()
                {
                    calls.add("close " + (Thread.currentThread().getContextClassLoader() == pluginLoader));
                }
            };
            Output safe = new ClassLoaderSafeOutput(plugin, pluginLoader);
            ClassLoader before = Thread.currentThread().getContextClassLoader();

            safe.start();
            safe.deliver(List.of());
            assertThat(safe.probe()).hasValueSatisfying(result -> assertThat(result.reason()).isEqualTo("key refused"));
            safe.close();

            assertThat(calls).containsExactly("start true", "deliver true", "probe true", "close true");
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
        }
    }

    @Test
    void deliverAsyncReachesThePluginUnderItsLoaderAndTheWrapperSaysWhetherThePluginOverridesIt()
            throws Exception
    {
        List<String> calls = new ArrayList<>();
        try (URLClassLoader pluginLoader = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
            Output synchronous = new Output()
            {
                @Override
                public DeliveryResult deliver(List<Event> batch)
                {
                    calls.add("deliver " + (Thread.currentThread().getContextClassLoader() == pluginLoader));
                    return DeliveryResult.delivered();
                }

                @Override
                public void close() {}
            };
            Output asynchronous = new Output()
            {
                @Override
                public java.util.concurrent.CompletionStage<DeliveryResult> deliverAsync(List<Event> batch)
                {
                    calls.add("deliverAsync " + (Thread.currentThread().getContextClassLoader() == pluginLoader));
                    return java.util.concurrent.CompletableFuture.completedFuture(DeliveryResult.retryLater("HTTP 503"));
                }

                @Override
                public DeliveryResult deliver(List<Event> batch)
                {
                    return DeliveryResult.delivered();
                }

                @Override
                public void close() {}
            };
            ClassLoaderSafeOutput safeSynchronous = new ClassLoaderSafeOutput(synchronous, pluginLoader);
            ClassLoaderSafeOutput safeAsynchronous = new ClassLoaderSafeOutput(asynchronous, pluginLoader);

            assertThat(safeSynchronous.deliverAsync(List.of()).toCompletableFuture().get()).isSameAs(DeliveryResult.delivered());
            assertThat(safeAsynchronous.deliverAsync(List.of()).toCompletableFuture().get().reason()).isEqualTo("HTTP 503");

            assertThat(calls).containsExactly("deliver true", "deliverAsync true");
            assertThat(safeSynchronous.deliversAsync()).isFalse();
            assertThat(safeAsynchronous.deliversAsync()).isTrue();
            assertThat(ClassLoaderSafeOutput.overridesDeliverAsync(safeAsynchronous)).isTrue();
            assertThat(ClassLoaderSafeOutput.overridesDeliverAsync(synchronous)).isFalse();
        }
    }

    @Test
    void theWrapperOverridesEveryMethodOfOutput()
    {
        // a default method the wrapper does not override would reach the plugin's own code without its loader, or
        // (as probe did) not reach it at all
        List<String> missing = Arrays.stream(Output.class.getMethods())
                .filter(method -> !Modifier.isStatic(method.getModifiers()))
                .filter(method -> !declares(ClassLoaderSafeOutput.class, method))
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
