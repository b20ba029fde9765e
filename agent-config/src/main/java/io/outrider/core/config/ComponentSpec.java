package io.outrider.core.config;

import io.outrider.config.ConfigLocation;
import io.outrider.core.plugin.ComponentKind;
import io.outrider.core.plugin.RegisteredFactory;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One configured component, bound and validated: ready to be created.
 *
 * @param delivery the output's delivery settings; {@code null} for inputs and parsers
 */
public record ComponentSpec(
        String pipelineId,
        String id,
        ComponentKind kind,
        RegisteredFactory factory,
        Record config,
        ConfigLocation location,
        DeliverySettings delivery)
{
    public ComponentSpec
    {
        requireNonNull(pipelineId, "pipelineId is null");
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(factory, "factory is null");
        requireNonNull(config, "config is null");
        requireNonNull(location, "location is null");
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
