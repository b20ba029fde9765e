package io.outrider.desktop;

import io.outrider.core.plugin.LoadedPlugin;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * The plugin built into the agent (its {@code console} output), which the window's validation must know as
 * {@code outrider validate} does. This module does not depend on the core (docs/architecture.md): it runs with the
 * agent's {@code lib/} on its class path (bin/outrider), and finds the core's plugin there by name, as the core finds
 * this module's {@code DesktopMain} by name for {@code outrider tray} and {@code outrider configure}.
 */
final class AgentBuiltInPlugins
{
    static final String CORE_PLUGIN = "io.outrider.core.builtin.CorePlugin";

    private AgentBuiltInPlugins() {}

    /** The core's built-in plugin when the agent's lib/ is on {@code loader}'s class path; none otherwise. */
    static List<LoadedPlugin> find(ClassLoader loader)
    {
        return find(loader, CORE_PLUGIN);
    }

    /**
     * The plugin {@code className}'s {@code static LoadedPlugin loaded()} returns, or none when there is no such
     * class: without the agent beside it, the desktop knows only the plugins of {@code agent.plugins_dir}.
     *
     * @throws IllegalStateException when the class is there without that method: the desktop and lib/ are of different versions
     */
    static List<LoadedPlugin> find(ClassLoader loader, String className)
    {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        }
        catch (ClassNotFoundException e) {
            return List.of();
        }
        String differ = className + " has no static LoadedPlugin loaded(): the desktop and the agent in lib/ are of different versions";
        Method loaded;
        try {
            loaded = type.getDeclaredMethod("loaded");
        }
        catch (NoSuchMethodException e) {
            throw new IllegalStateException(differ, e);
        }
        if (!Modifier.isStatic(loaded.getModifiers()) || loaded.getReturnType() != LoadedPlugin.class) {
            throw new IllegalStateException(differ);
        }
        try {
            return List.of((LoadedPlugin) loaded.invoke(null));
        }
        catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot get the agent's built-in plugin from " + className, e);
        }
    }
}
