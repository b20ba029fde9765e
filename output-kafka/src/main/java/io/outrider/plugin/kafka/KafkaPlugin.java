package io.outrider.plugin.kafka;

import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;

import java.util.List;

/** The Kafka plugin: the {@code kafka} output. */
public final class KafkaPlugin
        implements Plugin
{
    @Override
    public List<OutputFactory<?>> outputFactories()
    {
        return List.of(new KafkaOutputFactory());
    }
}
