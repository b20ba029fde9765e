package io.outrider.core;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.outrider.core.config.AgentConfiguration;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.pipeline.Agent;
import io.outrider.core.storage.SqliteBuffer;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * Wires the core's services. Used with {@code Stage.PRODUCTION} and {@code requireExplicitBindings()}: every service
 * is bound here, and singletons are created eagerly, so a wiring error shows at start-up, not mid-run. Plugin objects
 * never pass through Guice: they come from their factories.
 */
public final class AgentModule
        extends AbstractModule
{
    private final AgentConfiguration configuration;
    private final SecretRegistry secrets;
    private final Clock clock;

    public AgentModule(AgentConfiguration configuration, SecretRegistry secrets, Clock clock)
    {
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    protected void configure()
    {
        binder().requireExplicitBindings();
        binder().requireAtInjectOnConstructors();
        bind(AgentConfiguration.class).toInstance(configuration);
        bind(SecretRegistry.class).toInstance(secrets);
        bind(Clock.class).toInstance(clock);
        bind(AgentMetrics.class).in(Singleton.class);
        bind(Agent.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    SqliteBuffer buffer(AgentConfiguration configuration, Clock clock)
    {
        try {
            return SqliteBuffer.open(configuration.agent().dataDir(), configuration.agent().buffer(), clock);
        }
        catch (IOException | SQLException e) {
            throw new BufferUnavailableException("cannot open the buffer in " + configuration.agent().dataDir() + ": " + e.getMessage(), e);
        }
    }
}
