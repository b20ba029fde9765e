package io.outrider.plugin.syslog;

import io.outrider.support.EventDocument;
import io.outrider.support.JsonByteWriter;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.support.Utf8;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Decides what of an event goes into the syslog header and body, whatever the format: priority, host, application,
 * process id, message id and the MSG text. The encoders make the values fit their format.
 */
final class SyslogEventMapper
{
    private static final byte[] CEE_COOKIE = "@cee: ".getBytes(StandardCharsets.US_ASCII);

    private final Facility facility;
    private final Facility authFacility;
    private final Severity severity;
    private final Severity failureSeverity;
    private final String defaultAppName;
    private final String defaultHostName;
    private final MessageBody body;
    private final boolean ceePrefix;

    SyslogEventMapper(Facility facility, Facility authFacility, Severity severity, Severity failureSeverity, String defaultAppName,
            String defaultHostName, MessageBody body, boolean ceePrefix)
    {
        this.facility = requireNonNull(facility, "facility is null");
        this.authFacility = requireNonNull(authFacility, "authFacility is null");
        this.severity = requireNonNull(severity, "severity is null");
        this.failureSeverity = requireNonNull(failureSeverity, "failureSeverity is null");
        this.defaultAppName = requireNonNull(defaultAppName, "defaultAppName is null");
        this.defaultHostName = requireNonNull(defaultHostName, "defaultHostName is null");
        this.body = requireNonNull(body, "body is null");
        this.ceePrefix = ceePrefix;
    }

    static SyslogEventMapper fromConfig(SyslogOutputConfig config, String agentHostName)
    {
        return new SyslogEventMapper(config.facility(), config.authFacility(), config.severity(), config.failureSeverity(), config.appName(),
                agentHostName, config.body(), config.ceePrefix());
    }

    /**
     * The PRI value, facility * 8 + severity. {@code log.syslog.priority} wins when the event has it: journald's
     * PRIORITY (0 to 7) gives the severity; an RFC PRI value (8 to 191, as ECS defines the field) gives both. Then
     * {@code log.syslog.facility} (code or name). Otherwise a failure ({@code event.outcome: failure}, or an
     * action ending in {@code _failed}) gets the failure severity, and an authentication event (category
     * {@code authentication}, or an action starting with {@code auth.}) the authentication facility.
     */
    int priority(Event event)
    {
        Severity eventSeverity = null;
        Facility eventFacility = null;
        Optional<Long> priority = asLong(event.field(Fields.LOG_SYSLOG_PRIORITY)).filter(value -> value >= 0 && value <= 191);
        if (priority.isPresent()) {
            eventSeverity = Severity.ofCode(priority.get() & 7).orElseThrow();
            if (priority.get() >= 8) {
                eventFacility = Facility.ofCode(priority.get() >> 3).orElseThrow();
            }
        }
        Object facilityField = event.field(Fields.LOG_SYSLOG_FACILITY);
        if (facilityField instanceof Number) {
            eventFacility = Facility.ofCode(((Number) facilityField).longValue()).orElse(eventFacility);
        }
        else if (facilityField instanceof String) {
            eventFacility = Facility.parse((String) facilityField).orElse(eventFacility);
        }
        if (eventSeverity == null) {
            eventSeverity = isFailure(event) ? failureSeverity : severity;
        }
        if (eventFacility == null) {
            eventFacility = isAuthentication(event) ? authFacility : facility;
        }
        return eventFacility.code() * 8 + eventSeverity.code();
    }

    /**
     * The host the message comes from: {@code log.syslog.hostname} (the host a syslog line names, which a relay keeps,
     * as RFC 5424's HOSTNAME is the originator), else {@code host.name}, else the agent's host name.
     */
    String hostName(Event event)
    {
        String host = event.fieldAsString(Fields.LOG_SYSLOG_HOSTNAME);
        if (host == null || host.isBlank()) {
            host = event.fieldAsString(Fields.HOST_NAME);
        }
        return host == null || host.isBlank() ? defaultHostName : host;
    }

    /** {@code process.name}, else the configured application name. */
    String appName(Event event)
    {
        String name = event.fieldAsString(Fields.PROCESS_NAME);
        return name == null || name.isBlank() ? defaultAppName : name;
    }

    /** {@code process.pid}, or null. */
    String procId(Event event)
    {
        return event.fieldAsString(Fields.PROCESS_PID);
    }

    /** {@code event.action}, or null. */
    String msgId(Event event)
    {
        return event.fieldAsString(Fields.EVENT_ACTION);
    }

    /** The MSG text: the event's message, or the event as a JSON object (optionally with the {@code @cee: } cookie). */
    String body(Event event)
    {
        if (body == MessageBody.MESSAGE) {
            return event.message();
        }
        String json = (body == MessageBody.ECS ? EventDocument.ECS : EventDocument.JSON).toJson(event);
        return ceePrefix ? "@cee: " + json : json;
    }

    /** Appends {@link #body} as UTF-8, with CR and LF escaped when {@code escapeLineBreaks} ({@link SyslogText#escapeLineBreaks}). */
    void body(Event event, SyslogWriter out, boolean escapeLineBreaks)
    {
        if (body == MessageBody.MESSAGE) {
            out.text(event.message(), escapeLineBreaks);
            return;
        }
        if (ceePrefix) {
            out.bytes(CEE_COOKIE);
        }
        // the document's bytes are what its text encodes to: JsonByteWriter writes valid UTF-8 only
        JsonByteWriter json = out.jsonScratch();
        (body == MessageBody.ECS ? EventDocument.ECS : EventDocument.JSON).write(json, event);
        out.utf8(json.buffer(), 0, json.size(), escapeLineBreaks);
    }

    /**
     * Appends MSG as {@link #body(Event, SyslogWriter, boolean)} does, fitted into {@code room} bytes where the body is
     * a document: a JSON or ECS document that does not fit is written again with its longest string values cut short
     * (each ending in {@value #CUT_MARK}), so that a receiver still gets JSON. True when values were cut. A document
     * that does not fit even with every string value cut to nothing, and a message body, are left for the encoder to
     * cut at a character boundary.
     */
    boolean body(Event event, SyslogWriter out, boolean escapeLineBreaks, int room)
    {
        int start = out.size();
        body(event, out, escapeLineBreaks);
        return body != MessageBody.MESSAGE && out.size() - start > room && fitDocument(event, out, start, room);
    }

    /** As {@link #body(Event, SyslogWriter, boolean, int)}, from the stored event. */
    boolean body(StoredEvent event, List<Event> batch, int index, SyslogWriter out, boolean escapeLineBreaks, int room)
    {
        int start = out.size();
        body(event, batch, index, out, escapeLineBreaks);
        return body != MessageBody.MESSAGE && out.size() - start > room && fitDocument(batch.get(index), out, start, room);
    }

    /** Ends a value cut to fit: one character, so that the receiver sees the cut. */
    static final String CUT_MARK = "\u2026";
    private static final int CUT_MARK_BYTES = 3;

    /**
     * Replaces the document written from {@code start} with the largest {@link #cutStrings} of the event that fits,
     * found by bisection over the cap; false, leaving {@code out} as it was, when none fits. Only an event too large for
     * the configured size gets here, so the copies it makes cost nothing on the common path.
     */
    private boolean fitDocument(Event event, SyslogWriter out, int start, int room)
    {
        int longest = utf8Length(event.message());
        for (Object value : event.fields().values()) {
            if (value instanceof String) {
                longest = Math.max(longest, utf8Length((String) value));
            }
        }
        int fits = -1;
        int low = 0;
        int high = longest - 1;
        while (low <= high) {
            int cap = (low + high) >>> 1;
            if (documentBytes(cutStrings(event, cap), out) <= room) {
                fits = cap;
                low = cap + 1;
            }
            else {
                high = cap - 1;
            }
        }
        if (fits < 0) {
            return false;
        }
        out.truncate(start);
        // a document holds no raw line breaks to escape: JSON escapes them in strings
        body(cutStrings(event, fits), out, false);
        return true;
    }

    private int documentBytes(Event event, SyslogWriter out)
    {
        JsonByteWriter json = out.jsonScratch();
        (body == MessageBody.ECS ? EventDocument.ECS : EventDocument.JSON).write(json, event);
        return json.size() + (ceePrefix ? CEE_COOKIE.length : 0);
    }

    /**
     * The event with its message and each string field longer than {@code capBytes} UTF-8 bytes (and than the mark)
     * cut to a prefix of at most {@code capBytes} bytes, the mark included, at a character boundary. A value's
     * written size then never falls as the cap rises, which the bisection needs: a cut value is at least one byte
     * shorter than the whole one, and a longer cap keeps a longer prefix.
     */
    static Event cutStrings(Event event, int capBytes)
    {
        Event.Builder builder = event.toBuilder();
        String message = cut(event.message(), capBytes);
        if (message != null) {
            builder.message(message);
        }
        event.forEachField((name, value) -> {
            String cut = value instanceof String ? cut((String) value, capBytes) : null;
            if (cut != null) {
                builder.field(name, cut);
            }
        });
        return builder.build();
    }

    /** The value cut to {@code capBytes} with the mark, or null when it is not longer than that and the mark. */
    private static String cut(String value, int capBytes)
    {
        int bytes = utf8Length(value);
        if (bytes <= capBytes || bytes <= CUT_MARK_BYTES) {
            return null;
        }
        int room = Math.max(0, capBytes - CUT_MARK_BYTES);
        int end = 0;
        int used = 0;
        while (end < value.length()) {
            int size = utf8Bytes(value, end);
            if (used + size > room) {
                break;
            }
            used += size;
            end += size == 4 ? 2 : 1;
        }
        return value.substring(0, end) + CUT_MARK;
    }

    private static int utf8Length(String value)
    {
        int bytes = 0;
        for (int i = 0; i < value.length(); i += utf8Bytes(value, i) == 4 ? 2 : 1) {
            bytes += utf8Bytes(value, i);
        }
        return bytes;
    }

    /** UTF-8 bytes of the character at {@code i}, a surrogate pair's 4; a lone surrogate counts as the U+FFFD written for it. */
    private static int utf8Bytes(String value, int i)
    {
        char c = value.charAt(i);
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        return Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)) ? 4 : 3;
    }

    /** The body format: the {@link Event} path writes {@link MessageBody#ECS}, whose nesting needs the fields. */
    MessageBody bodyFormat()
    {
        return body;
    }

    /** As {@link #priority(Event)}, from a stored event's captured fields. */
    int priority(StoredEvent event)
    {
        Severity eventSeverity = null;
        Facility eventFacility = null;
        long priority = storedPriority(event.priority);
        if (priority >= 0 && priority <= 191) {
            eventSeverity = Severity.ofCode(priority & 7).orElseThrow();
            if (priority >= 8) {
                eventFacility = Facility.ofCode(priority >> 3).orElseThrow();
            }
        }
        StoredEvent.Slot facilityField = event.facility;
        if (facilityField.kind == StoredEvent.Slot.INTEGRAL || facilityField.kind == StoredEvent.Slot.OTHER_NUMBER) {
            eventFacility = Facility.ofCode(facilityField.number).orElse(eventFacility);
        }
        else if (facilityField.kind == StoredEvent.Slot.UTF8 || facilityField.kind == StoredEvent.Slot.TEXT) {
            eventFacility = Facility.parse(facilityField.asString()).orElse(eventFacility);
        }
        if (eventSeverity == null) {
            eventSeverity = isFailure(event) ? failureSeverity : severity;
        }
        if (eventFacility == null) {
            eventFacility = isAuthentication(event) ? authFacility : facility;
        }
        return eventFacility.code() * 8 + eventSeverity.code();
    }

    /** As {@link #hostName(Event)}: the slot to write, or null for {@link #defaultHostName}. */
    StoredEvent.Slot hostName(StoredEvent event)
    {
        if (event.syslogHostName.present() && !event.syslogHostName.isBlank()) {
            return event.syslogHostName;
        }
        return event.hostName.present() && !event.hostName.isBlank() ? event.hostName : null;
    }

    String defaultHostName()
    {
        return defaultHostName;
    }

    boolean hasAppName(StoredEvent event)
    {
        return event.processName.present() && !event.processName.isBlank();
    }

    String defaultAppName()
    {
        return defaultAppName;
    }

    /** As {@link #body(Event, SyslogWriter, boolean)} for {@link MessageBody#MESSAGE} and {@link MessageBody#JSON}. */
    void body(StoredEvent event, List<Event> batch, int index, SyslogWriter out, boolean escapeLineBreaks)
    {
        if (body == MessageBody.MESSAGE) {
            StoredEvent.Slot message = event.message;
            if (message.kind == StoredEvent.Slot.UTF8 && (message.ascii || Utf8.isWellFormed(message.bytes, 0, message.length))) {
                out.utf8(message.bytes, 0, message.length, escapeLineBreaks);
            }
            else {
                out.text(message.asString(), escapeLineBreaks);
            }
            return;
        }
        if (body != MessageBody.JSON) {
            throw new IllegalStateException("the stored event path does not write " + body);
        }
        if (ceePrefix) {
            out.bytes(CEE_COOKIE);
        }
        JsonByteWriter json = out.jsonScratch();
        EventDocument.JSON.write(json, batch, index);
        out.utf8(json.buffer(), 0, json.size(), escapeLineBreaks);
    }

    private static final byte[] FAILED_UNDERSCORE = "_failed".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILED_DOT = ".failed".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILURE_UNDERSCORE = "_failure".getBytes(StandardCharsets.US_ASCII);

    private static boolean isFailure(StoredEvent event)
    {
        StoredEvent.Slot outcome = event.eventOutcome;
        if (outcome.asciiBytes()) {
            if (outcome.length == 7 && equalsIgnoreAsciiCase(outcome.bytes, Fields.OUTCOME_FAILURE)) {
                return true;
            }
        }
        else if (outcome.present() && Fields.OUTCOME_FAILURE.equalsIgnoreCase(outcome.asString())) {
            return true;
        }
        StoredEvent.Slot action = event.eventAction;
        return action.present() && (action.endsWith(FAILED_UNDERSCORE) || action.endsWith(FAILED_DOT) || action.endsWith(FAILURE_UNDERSCORE));
    }

    private static boolean isAuthentication(StoredEvent event)
    {
        if (event.authenticationCategory) {
            return true;
        }
        StoredEvent.Slot action = event.eventAction;
        if (action.asciiBytes()) {
            // toLowerCase(Locale.ROOT) of ASCII changes A to Z only
            return action.length >= 5 && equalsIgnoreAsciiCase(action.bytes, "auth.");
        }
        String value = action.asString();
        return value != null && value.toLowerCase(Locale.ROOT).startsWith("auth.");
    }

    /** Whether the first {@code lowerCase.length()} bytes are {@code lowerCase}'s ASCII letters in either case. */
    private static boolean equalsIgnoreAsciiCase(byte[] bytes, String lowerCase)
    {
        for (int i = 0; i < lowerCase.length(); i++) {
            int b = bytes[i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #asLong} of the captured value; -1 when it gives none. */
    private static long storedPriority(StoredEvent.Slot slot)
    {
        if (slot.kind == StoredEvent.Slot.INTEGRAL) {
            return slot.number < 0 ? -1 : slot.number;
        }
        if (slot.asciiBytes()) {
            // String.trim drops what is at most a space; then one to three digits
            int start = 0;
            int end = slot.length;
            while (start < end && (slot.bytes[start] & 0xFF) <= ' ') {
                start++;
            }
            while (end > start && (slot.bytes[end - 1] & 0xFF) <= ' ') {
                end--;
            }
            if (end == start || end - start > 3) {
                return -1;
            }
            long value = 0;
            for (int i = start; i < end; i++) {
                byte b = slot.bytes[i];
                if (b < '0' || b > '9') {
                    return -1;
                }
                value = value * 10 + (b - '0');
            }
            return value;
        }
        if (slot.kind == StoredEvent.Slot.UTF8 || slot.kind == StoredEvent.Slot.TEXT) {
            return asLong(slot.asString()).filter(value -> value >= 0).orElse(-1L);
        }
        return -1;
    }

    private static boolean isFailure(Event event)
    {
        if (Fields.OUTCOME_FAILURE.equalsIgnoreCase(event.fieldAsString(Fields.EVENT_OUTCOME))) {
            return true;
        }
        String action = event.fieldAsString(Fields.EVENT_ACTION);
        return action != null && (action.endsWith("_failed") || action.endsWith(".failed") || action.endsWith("_failure"));
    }

    private static boolean isAuthentication(Event event)
    {
        Object category = event.field(Fields.EVENT_CATEGORY);
        if ("authentication".equals(category) || (category instanceof List && ((List<?>) category).contains("authentication"))) {
            return true;
        }
        String action = event.fieldAsString(Fields.EVENT_ACTION);
        return action != null && action.toLowerCase(Locale.ROOT).startsWith("auth.");
    }

    private static Optional<Long> asLong(Object value)
    {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Optional.of(((Number) value).longValue());
        }
        if (value instanceof String) {
            String text = ((String) value).trim();
            if (!text.isEmpty() && text.length() <= 3 && text.chars().allMatch(Character::isDigit)) {
                return Optional.of(Long.parseLong(text));
            }
        }
        return Optional.empty();
    }
}
