package io.outrider.core.config;

import io.outrider.config.ConfigLocation;
import io.outrider.core.plugin.ComponentKind;
import io.outrider.core.plugin.RegisteredFactory;

import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One configured component, bound and validated: ready to be created.
 *
 * @param delivery the output's delivery settings; {@code null} for inputs and parsers
 * @param propertyLocations where each property of the component's mapping is written, by dotted path ({@code tls.key_pass})
 */
public record ComponentSpec(
        String pipelineId,
        String id,
        ComponentKind kind,
        RegisteredFactory factory,
        Record config,
        ConfigLocation location,
        DeliverySettings delivery,
        Map<String, ConfigLocation> propertyLocations)
{
    public ComponentSpec
    {
        requireNonNull(pipelineId, "pipelineId is null");
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(factory, "factory is null");
        requireNonNull(config, "config is null");
        requireNonNull(location, "location is null");
        propertyLocations = Map.copyOf(requireNonNull(propertyLocations, "propertyLocations is null"));
    }

    public ComponentSpec(String pipelineId, String id, ComponentKind kind, RegisteredFactory factory, Record config, ConfigLocation location, DeliverySettings delivery)
    {
        this(pipelineId, id, kind, factory, config, location, delivery, Map.of());
    }

    /**
     * Where a property is written: the longest written prefix of its dotted path, else the component's own line; so
     * that a problem found when the component is created ({@code tls.key_pass} cannot decrypt the key) points at it.
     */
    public ConfigLocation locationOf(String property)
    {
        String path = property;
        while (!path.isEmpty()) {
            ConfigLocation found = propertyLocations.get(path);
            if (found != null) {
                return found;
            }
            int dot = path.lastIndexOf('.');
            path = dot < 0 ? "" : path.substring(0, dot);
        }
        return location;
    }

    public String type()
    {
        return factory.type();
    }

    public Set<String> sensitiveProperties()
    {
        return factory.factory().sensitiveProperties();
    }

    /** e.g. "ssh_auth.auth_log". */
    public String qualifiedId()
    {
        return pipelineId + "." + id;
    }
}
