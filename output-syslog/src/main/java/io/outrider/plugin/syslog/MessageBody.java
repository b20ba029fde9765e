package io.outrider.plugin.syslog;

/** What goes into the MSG part of a syslog message. */
public enum MessageBody
{
    /** The event's message text. */
    MESSAGE,
    /** The whole event as one JSON object ({@code @timestamp}, {@code message} and every field, dotted names kept). */
    JSON,
    /** The whole event as one Elastic Common Schema object (dotted names nested), as plugin-support's {@code EventDocument}. */
    ECS
}
