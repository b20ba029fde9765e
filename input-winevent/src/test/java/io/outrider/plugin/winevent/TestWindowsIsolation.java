package io.outrider.plugin.winevent;

import io.outrider.spi.InputFactory;
import io.outrider.spi.Plugin;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin must load and classify Windows error codes on any OS without touching JNA: {@code WinError}'s static
 * initialiser builds native HRESULTs and {@code Wevtapi}'s loads wevtapi.dll. Checked in a class loader of its own,
 * like the agent's, that sees the SPI from the parent and this module's classes and JNA jars itself.
 */
class TestWindowsIsolation
{
    @Test
    void pluginAndErrorCodesNeverLoadJna()
            throws Exception
    {
        URL classes = WinEventPlugin.class.getProtectionDomain().getCodeSource().getLocation();
        URL jnaPlatform = Class.forName("com.sun.jna.platform.win32.WinError", false, getClass().getClassLoader()).getProtectionDomain().getCodeSource().getLocation();
        URL jna = Class.forName("com.sun.jna.Native", false, getClass().getClassLoader()).getProtectionDomain().getCodeSource().getLocation();
        try (IsolatedLoader loader = new IsolatedLoader(new URL[] {classes, jnaPlatform, jna}, Plugin.class.getClassLoader())) {
            Class<?> errors = loader.loadClass(EventLogErrors.class.getName());
            Object positionLost = errors.getMethod("isPositionLost", int.class).invoke(null, 15011);
            Object description = errors.getMethod("describe", int.class).invoke(null, 15007);
            Plugin plugin = (Plugin) loader.loadClass(WinEventPlugin.class.getName()).getConstructor().newInstance();
            List<InputFactory<?>> factories = plugin.inputFactories();

            assertThat(positionLost).isEqualTo(true);
            assertThat(description).isEqualTo("ERROR_EVT_CHANNEL_NOT_FOUND (15007): the channel does not exist");
            assertThat(factories).hasSize(1);
            assertThat(loader.loaded("com.sun.jna.platform.win32.WinError")).isFalse();
            assertThat(loader.loaded("com.sun.jna.platform.win32.Wevtapi")).isFalse();
            assertThat(loader.loaded("com.sun.jna.Native")).isFalse();
            assertThat(loader.loaded(WevtapiEventLogApi.class.getName())).isFalse();
        }
    }

    /** Loads this module and JNA itself (child first) and tells which classes it has loaded. */
    private static final class IsolatedLoader
            extends URLClassLoader
    {
        IsolatedLoader(URL[] urls, ClassLoader parent)
        {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve)
                throws ClassNotFoundException
        {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("io.outrider.plugin.") || name.startsWith("com.sun.jna.")) {
                    Class<?> loaded = findLoadedClass(name);
                    if (loaded == null) {
                        loaded = findClass(name);
                    }
                    if (resolve) {
                        resolveClass(loaded);
                    }
                    return loaded;
                }
                return super.loadClass(name, resolve);
            }
        }

        boolean loaded(String name)
        {
            return findLoadedClass(name) != null;
        }
    }

}
