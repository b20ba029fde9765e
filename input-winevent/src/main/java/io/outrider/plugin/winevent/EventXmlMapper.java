package io.outrider.plugin.winevent;

import io.outrider.plugin.winevent.EventXmlReader.ParsedEvent;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.SecurityActions;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Turns one event's XML, as {@code EvtRender(..., EvtRenderEventXml)}, {@code wevtutil qe /f:xml} or
 * {@code evtxexport -f xml} write it, into an {@link Event} with {@code winlog.*} fields, and security events
 * (logons, accounts, groups, processes, services, scheduled tasks, cleared logs) into the {@link SecurityActions}
 * vocabulary shared with the Linux parsers.
 *
 * <p>Reading the XML is {@link EventXmlReader}'s job (hardened: no DTDs, no external entities); characters XML 1.0
 * forbids are stripped first ({@link XmlSanitizer}). Not thread-safe: one mapper per input thread.
 */
public final class EventXmlMapper
{
    public static final String CHANNEL = Fields.WINLOG_CHANNEL;
    public static final String EVENT_ID = Fields.WINLOG_EVENT_ID;
    public static final String PROVIDER_NAME = Fields.WINLOG_PROVIDER_NAME;
    public static final String PROVIDER_GUID = "winlog.provider_guid";
    public static final String RECORD_ID = Fields.WINLOG_RECORD_ID;
    public static final String COMPUTER_NAME = Fields.WINLOG_COMPUTER_NAME;
    public static final String LEVEL = Fields.WINLOG_LEVEL;
    public static final String TASK = "winlog.task";
    public static final String OPCODE = "winlog.opcode";
    public static final String VERSION = "winlog.version";
    public static final String KEYWORDS = "winlog.keywords";
    public static final String KEYWORDS_RAW = "winlog.keywords_raw";
    public static final String QUALIFIERS = "winlog.qualifiers";
    public static final String PROCESS_PID = "winlog.process.pid";
    public static final String THREAD_ID = "winlog.process.thread.id";
    public static final String ACTIVITY_ID = "winlog.activity_id";
    public static final String RELATED_ACTIVITY_ID = "winlog.related_activity_id";
    public static final String USER_IDENTIFIER = "winlog.user.identifier";
    public static final String EVENT_DATA_PREFIX = "winlog.event_data.";
    public static final String USER_DATA_PREFIX = "winlog.user_data.";
    public static final String USER_DATA_XML_NAME = "winlog.user_data.xml_name";
    public static final String LOGON_TYPE = "winlog.logon.type";
    public static final String LOGON_ID = "winlog.logon.id";
    public static final String USER_DOMAIN = Fields.USER_DOMAIN;
    public static final String ERROR_MESSAGE = Fields.ERROR_MESSAGE;

    // ECS names of the security mapping that the SPI has no constant for.
    public static final String USER_TARGET_DOMAIN = "user.target.domain";
    public static final String GROUP_ID = "group.id";
    public static final String GROUP_DOMAIN = "group.domain";
    public static final String PROCESS_EXECUTABLE = "process.executable";
    public static final String PROCESS_PARENT_EXECUTABLE = "process.parent.executable";
    public static final String DESTINATION_DOMAIN = "destination.domain";
    /** 4672's privileges, one name per element ({@code SeDebugPrivilege}, ...). */
    public static final String PRIVILEGES = "winlog.privileges";

    public static final String ACTION_LOGIN_SUCCESS = SecurityActions.LOGIN_SUCCESS;
    public static final String ACTION_LOGIN_FAILED = SecurityActions.LOGIN_FAILED;
    public static final String ACTION_LOGOUT = SecurityActions.LOGOUT;

    static final long KEYWORD_AUDIT_FAILURE = 0x10000000000000L;
    static final long KEYWORD_AUDIT_SUCCESS = 0x20000000000000L;
    /** The standard keyword bits (winmeta.xml) and the names Windows shows for them. */
    private static final long[] STANDARD_KEYWORD_BITS = {
            0x1000000000000L, 0x4000000000000L, 0x8000000000000L, KEYWORD_AUDIT_FAILURE, KEYWORD_AUDIT_SUCCESS,
            0x40000000000000L, 0x80000000000000L};
    private static final String[] STANDARD_KEYWORD_NAMES = {
            "Response Time", "WDI Diag", "SQM", "Audit Failure", "Audit Success", "Correlation Hint", "Classic"};

    private static final int MAX_ERROR_TEXT = 4096;
    private static final Pattern PROVIDER_NAME_ATTRIBUTE = Pattern.compile("<Provider\\s+Name\\s*=\\s*['\"]([^'\"]+)['\"]");

    private final EventXmlReader reader;
    private final String fallbackHostName;
    private final boolean includeXml;

    /**
     * @param fallbackHostName {@code host.name} for an event that names no computer
     * @param includeXml whether to keep the XML in {@code event.original}
     */
    public EventXmlMapper(String fallbackHostName, boolean includeXml)
    {
        this.fallbackHostName = requireNonNull(fallbackHostName, "fallbackHostName is null");
        this.includeXml = includeXml;
        this.reader = new EventXmlReader();
    }

    /**
     * Maps one event.
     *
     * @param xml the event's XML (one {@code <Event>} element, optionally after an XML declaration)
     * @param renderedMessage the message Windows formatted for it, if any; otherwise the XML's
     *        {@code RenderingInfo/Message} or a description of the event is used
     * @param readTime the timestamp for an event without {@code TimeCreated}
     * @throws EventXmlException when the XML cannot be read
     */
    public Event map(String xml, Optional<String> renderedMessage, Instant readTime)
            throws EventXmlException
    {
        ParsedEvent parsed = reader.read(XmlSanitizer.sanitize(xml));
        return toEvent(parsed, xml, renderedMessage, readTime);
    }

    /**
     * An event for XML that could not be mapped: the text (truncated) as message, the reason in
     * {@code error.message}, so nothing read is dropped silently.
     */
    public Event errorEvent(String xml, String channel, String reason, Instant readTime)
    {
        String text = XmlSanitizer.sanitize(xml);
        if (text.length() > MAX_ERROR_TEXT) {
            text = text.substring(0, MAX_ERROR_TEXT);
        }
        Event.Builder builder = Event.builder()
                .timestamp(readTime)
                .message(text)
                .field(Fields.EVENT_KIND, "pipeline_error")
                .field(Fields.EVENT_MODULE, "winlog")
                .field(ERROR_MESSAGE, reason)
                .field(Fields.HOST_NAME, fallbackHostName);
        if (channel != null) {
            builder.field(CHANNEL, channel);
        }
        return builder.build();
    }

    /** The provider name in event XML, found without parsing (the Windows layer needs it to format messages). */
    public static Optional<String> providerName(String xml)
    {
        Matcher matcher = PROVIDER_NAME_ATTRIBUTE.matcher(xml);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private Event toEvent(ParsedEvent parsed, String xml, Optional<String> renderedMessage, Instant readTime)
            throws EventXmlException
    {
        if (parsed.eventId == null) {
            throw new EventXmlException("the event has no System/EventID");
        }
        Integer eventId = parseInt(parsed.eventId);
        if (eventId == null) {
            throw new EventXmlException("System/EventID '" + parsed.eventId + "' is not a number");
        }
        Event.Builder builder = Event.builder().timestamp(parseTime(parsed.timeCreated, readTime));
        builder.field(Fields.EVENT_KIND, "event");
        builder.field(Fields.EVENT_MODULE, "winlog");
        builder.field(CHANNEL, parsed.channel);
        builder.field(EVENT_ID, eventId);
        builder.field(Fields.EVENT_CODE, Integer.toString(eventId));
        builder.field(PROVIDER_NAME, parsed.providerName);
        builder.field(PROVIDER_GUID, parsed.providerGuid);
        builder.field(RECORD_ID, parseLong(parsed.recordId));
        builder.field(COMPUTER_NAME, parsed.computer);
        builder.field(Fields.HOST_NAME, parsed.computer == null ? fallbackHostName : parsed.computer);
        Integer level = parseInt(parsed.level);
        if (parsed.renderedLevel != null && !parsed.renderedLevel.isEmpty()) {
            builder.field(LEVEL, parsed.renderedLevel.toLowerCase(Locale.ROOT));
        }
        else if (level != null) {
            builder.field(LEVEL, EventLevels.name(level));
        }
        builder.field(Fields.EVENT_SEVERITY, level);
        builder.field(TASK, firstNonEmpty(parsed.renderedTask, parsed.task));
        builder.field(OPCODE, firstNonEmpty(parsed.renderedOpcode, parsed.opcode));
        builder.field(VERSION, parseInt(parsed.version));
        Long keywordBits = parseHex(parsed.keywords);
        List<String> keywords = parsed.renderedKeywords != null && !parsed.renderedKeywords.isEmpty()
                ? parsed.renderedKeywords
                : keywordBits == null ? List.of() : standardKeywordNames(keywordBits);
        if (!keywords.isEmpty()) {
            builder.field(KEYWORDS, keywords);
        }
        builder.field(KEYWORDS_RAW, parsed.keywords);
        String outcome = outcome(keywordBits, keywords);
        builder.field(Fields.EVENT_OUTCOME, outcome);
        if (parsed.qualifiers != null) {
            builder.field(QUALIFIERS, parseInt(parsed.qualifiers));
        }
        builder.field(PROCESS_PID, parseLong(parsed.processId));
        builder.field(THREAD_ID, parseLong(parsed.threadId));
        builder.field(ACTIVITY_ID, parsed.activityId);
        builder.field(RELATED_ACTIVITY_ID, parsed.relatedActivityId);
        builder.field(USER_IDENTIFIER, parsed.userId);
        parsed.eventData.forEach((name, value) -> builder.field(EVENT_DATA_PREFIX + name, value));
        if (parsed.userDataName != null) {
            builder.field(USER_DATA_XML_NAME, parsed.userDataName);
            parsed.userData.forEach((name, value) -> builder.field(USER_DATA_PREFIX + name, value));
        }
        SecurityEventMapping.apply(parsed.channel, parsed.providerName, eventId, parsed.eventData, parsed.userData, parsed.userId, builder);
        if (includeXml) {
            builder.field(Fields.EVENT_ORIGINAL, xml);
        }
        builder.message(message(parsed, eventId, renderedMessage));
        return builder.build();
    }

    private static String message(ParsedEvent parsed, int eventId, Optional<String> renderedMessage)
    {
        if (renderedMessage.isPresent() && !renderedMessage.get().isBlank()) {
            return renderedMessage.get().strip();
        }
        if (parsed.renderedMessage != null && !parsed.renderedMessage.isBlank()) {
            return parsed.renderedMessage.strip();
        }
        String channel = parsed.channel == null ? "" : parsed.channel;
        Optional<String> meaning = DefaultEventIds.meaning(channel, eventId);
        if (meaning.isPresent()) {
            return meaning.get() + " (event " + eventId + ")";
        }
        return (parsed.providerName == null ? "Windows" : parsed.providerName) + " event " + eventId;
    }

    private static String outcome(Long keywordBits, List<String> keywordNames)
    {
        if ((keywordBits != null && (keywordBits & KEYWORD_AUDIT_FAILURE) != 0) || keywordNames.contains("Audit Failure")) {
            return Fields.OUTCOME_FAILURE;
        }
        if ((keywordBits != null && (keywordBits & KEYWORD_AUDIT_SUCCESS) != 0) || keywordNames.contains("Audit Success")) {
            return Fields.OUTCOME_SUCCESS;
        }
        return null;
    }

    static List<String> standardKeywordNames(long bits)
    {
        List<String> names = new ArrayList<>(2);
        for (int i = 0; i < STANDARD_KEYWORD_BITS.length; i++) {
            if ((bits & STANDARD_KEYWORD_BITS[i]) != 0) {
                names.add(STANDARD_KEYWORD_NAMES[i]);
            }
        }
        return names;
    }

    /** {@code TimeCreated/@SystemTime}: ISO-8601 with up to nine fraction digits; a space or a missing zone is tolerated. */
    static Instant parseTime(String text, Instant fallback)
    {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String trimmed = text.trim();
        try {
            return Instant.parse(trimmed);
        }
        catch (DateTimeParseException e) {
            String normalized = trimmed.replace(' ', 'T');
            try {
                return Instant.parse(normalized);
            }
            catch (DateTimeParseException again) {
                try {
                    return LocalDateTime.parse(normalized).toInstant(ZoneOffset.UTC);
                }
                catch (DateTimeParseException last) {
                    return fallback;
                }
            }
        }
    }

    private static String firstNonEmpty(String first, String second)
    {
        return first != null && !first.isEmpty() ? first : second == null || second.isEmpty() ? null : second;
    }

    static Integer parseInt(String text)
    {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(text.trim());
        }
        catch (NumberFormatException e) {
            return null;
        }
    }

    static Long parseLong(String text)
    {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            String trimmed = text.trim();
            if (trimmed.startsWith("0x") || trimmed.startsWith("0X")) {
                return Long.parseUnsignedLong(trimmed.substring(2), 16);
            }
            return Long.parseLong(trimmed);
        }
        catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseHex(String text)
    {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String trimmed = text.trim();
        try {
            if (trimmed.startsWith("0x") || trimmed.startsWith("0X")) {
                return Long.parseUnsignedLong(trimmed.substring(2), 16);
            }
            return Long.parseUnsignedLong(trimmed);
        }
        catch (NumberFormatException e) {
            return null;
        }
    }
}
