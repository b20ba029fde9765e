package io.outrider.plugin.kafka;

import io.outrider.spi.Event;
import io.outrider.support.EventDocument;

import java.util.Locale;

/**
 * How an event becomes a Kafka record value: UTF-8 JSON, one event per record, written by plugin-support's
 * {@link EventDocument} so that a Kafka consumer reads the same document an http collector gets.
 */
public enum EventEncoding
{
    /** {@link EventDocument#JSON}: the fields under their dotted names, as output-http's {@code ndjson} line. */
    JSON(EventDocument.JSON),
    /** {@link EventDocument#ECS}: dotted names nested, as Elasticsearch and most SIEM Kafka consumers expect. */
    ECS(EventDocument.ECS);

    private final EventDocument document;

    EventEncoding(EventDocument document)
    {
        this.document = document;
    }

    /** The record value. */
    byte[] encode(Event event)
    {
        return document.encode(event);
    }

    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
