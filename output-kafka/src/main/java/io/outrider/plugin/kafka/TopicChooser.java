package io.outrider.plugin.kafka;

import io.outrider.spi.ComponentMetrics.Counter;
import io.outrider.spi.Event;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Chooses each event's topic: the fixed topic, or the value of the topic field when it is a legal, non-internal
 * Kafka topic name (and one of the allowed topics, when those are configured). Event data never becomes a topic
 * name unchecked: anything else goes to the fixed topic and is counted.
 */
final class TopicChooser
{
    /** Kafka's rule for topic names (at most 249 of these characters, not {@code .} or {@code ..}). */
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String topic;
    private final String topicField;
    private final Set<String> allowedTopics;
    private final Counter fallbacks;

    TopicChooser(String topic, String topicField, List<String> allowedTopics, Counter fallbacks)
    {
        this.topic = requireNonNull(topic, "topic is null");
        this.topicField = topicField;
        this.allowedTopics = Set.copyOf(allowedTopics);
        this.fallbacks = requireNonNull(fallbacks, "fallbacks is null");
    }

    static boolean isLegalTopic(String name)
    {
        return name != null && LEGAL_TOPIC.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    String topicOf(Event event)
    {
        if (topicField == null) {
            return topic;
        }
        Object value = event.field(topicField);
        if (value instanceof String) {
            String name = (String) value;
            // __consumer_offsets and friends belong to the brokers
            if (isLegalTopic(name) && !name.startsWith("__") && (allowedTopics.isEmpty() || allowedTopics.contains(name))) {
                return name;
            }
        }
        fallbacks.increment();
        return topic;
    }
}
