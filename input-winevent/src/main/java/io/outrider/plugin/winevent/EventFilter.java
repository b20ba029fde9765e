package io.outrider.plugin.winevent;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * {@code event_ids}, {@code levels} and {@code providers} applied in Java, to imported files (live channels filter
 * in the event log through their query). Events that could not be mapped always pass: nothing read is dropped
 * without a trace.
 */
public record EventFilter(EventIdSelection ids, Set<Integer> levels, List<String> providers)
{
    public EventFilter
    {
        requireNonNull(ids, "ids is null");
        levels = Set.copyOf(levels);
        providers = List.copyOf(providers);
    }

    public boolean matches(Event event)
    {
        Object id = event.field(EventXmlMapper.EVENT_ID);
        if (!(id instanceof Integer)) {
            return true;
        }
        if (!ids.matches((Integer) id)) {
            return false;
        }
        if (!levels.isEmpty()) {
            Object level = event.field(Fields.EVENT_SEVERITY);
            if (!(level instanceof Integer) || !levels.contains(level)) {
                return false;
            }
        }
        if (!providers.isEmpty()) {
            String provider = event.fieldAsString(EventXmlMapper.PROVIDER_NAME);
            return provider != null && providers.stream().anyMatch(provider::equalsIgnoreCase);
        }
        return true;
    }
}
