package io.outrider.config;

import io.outrider.spi.ComponentFactory;
import io.outrider.spi.InvalidConfigException;
import org.yaml.snakeyaml.nodes.Node;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Binds one component's settings the way the agent does: the factory's record through the {@link RecordBinder} (its
 * {@link ComponentFactory#sensitiveProperties} kept out of messages), then the factory's
 * {@link ComponentFactory#validate}, whose problems are located at the property they name. The agent's loader and
 * the test kit both bind through here, so a plugin's test sees the messages {@code outrider validate} prints.
 */
public final class ComponentBinder
{
    private final RecordBinder binder;

    public ComponentBinder(RecordBinder binder)
    {
        this.binder = requireNonNull(binder, "binder is null");
    }

    /**
     * @param node the component's mapping
     * @param path its dotted YAML path, for messages
     * @param keyNode the component's key: problems that have no node of their own are reported there
     * @param subject how messages name the component, e.g. "input type 'file' (plugin input-file)"
     * @param ownedKeys keys of the mapping that belong to the caller, not to the record (e.g. {@code type})
     * @return the validated record, or {@code null} when any problem was found (all of them were recorded)
     */
    public Record bind(ComponentFactory<?, ?> factory, Node node, String path, Node keyNode, String subject, Set<String> ownedKeys)
    {
        requireNonNull(factory, "factory is null");
        requireNonNull(subject, "subject is null");
        Set<String> sensitive;
        try {
            sensitive = factory.sensitiveProperties();
        }
        catch (RuntimeException | LinkageError e) {
            binder.report(keyNode, path, subject + " failed to list its sensitive properties: " + e);
            return null;
        }
        Record config = binder.bind(factory.configClass(), node, path, keyNode, new RecordBinder.Target(subject, sensitive, ownedKeys));
        if (config == null) {
            return null;
        }
        try {
            validate(factory, config);
        }
        catch (InvalidConfigException e) {
            for (InvalidConfigException.Problem problem : e.problems()) {
                Node at = ConfigYaml.find(node, problem.property());
                String problemPath = problem.property().isEmpty() ? path : RecordBinder.join(path, problem.property());
                binder.report(at == null ? keyNode : at, problemPath, binder.shown(problem.message()) + " (" + subject + ")");
            }
            return null;
        }
        catch (Exception e) {
            binder.report(keyNode, path, subject + " failed to validate its configuration: " + binder.shown(String.valueOf(e)));
            return null;
        }
        return config;
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> void validate(ComponentFactory<C, ?> factory, Record config)
            throws InvalidConfigException
    {
        factory.validate((C) config);
    }
}
