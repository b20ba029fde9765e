package io.outrider.core.plugin;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentFactory;
import io.outrider.spi.InvalidConfigException;

import java.util.List;
import java.util.Set;

import static io.outrider.config.ThreadContextLoader.enter;
import static io.outrider.config.ThreadContextLoader.exit;
import static java.util.Objects.requireNonNull;

/**
 * A plugin's factory that runs every method with the plugin's class loader as context class loader, and wraps what
 * {@link #create} returns so that its methods do too (as Trino's {@code ClassLoaderSafe*} classes). The
 * {@link PluginRegistry} wraps every factory it registers once, so no caller switches the loader by hand and none can
 * forget to.
 */
public abstract sealed class ClassLoaderSafeFactory<C extends Record, T>
        implements ComponentFactory<C, T>
        permits ClassLoaderSafeInputFactory, ClassLoaderSafeParserFactory, ClassLoaderSafeOutputFactory
{
    private final ComponentFactory<C, T> delegate;
    private final ClassLoader classLoader;

    ClassLoaderSafeFactory(ComponentFactory<C, T> delegate, ClassLoader classLoader)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    /** The plugin's own factory, for code that must see its class (never call it directly). */
    public ComponentFactory<C, T> delegate()
    {
        return delegate;
    }

    public ClassLoader classLoader()
    {
        return classLoader;
    }

    /** The component {@link #create} made, wrapped so that its methods run under {@link #classLoader()}. */
    abstract T wrap(T component);

    @Override
    public String type()
    {
        ClassLoader previous = enter(classLoader);
        try {
            return delegate.type();
        }
        finally {
            exit(previous, classLoader);
        }
    }

    @Override
    public Class<C> configClass()
    {
        ClassLoader previous = enter(classLoader);
        try {
            return delegate.configClass();
        }
        finally {
            exit(previous, classLoader);
        }
    }

    @Override
    public String description()
    {
        ClassLoader previous = enter(classLoader);
        try {
            return delegate.description();
        }
        finally {
            exit(previous, classLoader);
        }
    }

    @Override
    public void validate(C config)
            throws InvalidConfigException
    {
        ClassLoader previous = enter(classLoader);
        try {
            delegate.validate(config);
        }
        finally {
            exit(previous, classLoader);
        }
    }

    @Override
    public List<String> warnings(C config)
    {
        ClassLoader previous = enter(classLoader);
        try {
            return delegate.warnings(config);
        }
        finally {
            exit(previous, classLoader);
        }
    }

    @Override
    public Set<String> sensitiveProperties()
    {
        ClassLoader previous = enter(classLoader);
        try {
            return delegate.sensitiveProperties();
        }
        finally {
            exit(previous, classLoader);
        }
    }

    /**
     * @throws IllegalStateException when the plugin's factory returns null (a plugin bug, reported like one that
     *         throws)
     */
    @Override
    public T create(C config, ComponentContext context)
            throws InvalidConfigException
    {
        T component;
        ClassLoader previous = enter(classLoader);
        try {
            component = delegate.create(config, context);
        }
        finally {
            exit(previous, classLoader);
        }
        if (component == null) {
            throw new IllegalStateException("the factory of type '" + type() + "' returned no component (a bug in its plugin)");
        }
        return wrap(component);
    }

    @Override
    public String toString()
    {
        return delegate.toString();
    }
}
