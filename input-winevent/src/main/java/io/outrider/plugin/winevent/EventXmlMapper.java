package io.outrider.plugin.winevent;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.SecurityActions;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>The parser is hardened: DTDs and external entities are off and a DOCTYPE is refused, and characters XML 1.0
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

    private final XMLInputFactory factory;
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
        // The JDK's own implementation, whatever else a class path offers: its hardening properties are known.
        factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        try {
            // The JDK's reader can be reset instead of rebuilt for every event, saving its buffers.
            factory.setProperty("reuse-instance", true);
        }
        catch (IllegalArgumentException e) {
            // Another StAX implementation: a new reader per event is only slower.
        }
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
        ParsedEvent parsed = parse(XmlSanitizer.sanitize(xml));
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

    private ParsedEvent parse(String xml)
            throws EventXmlException
    {
        ParsedEvent event = new ParsedEvent();
        XMLStreamReader reader;
        try {
            reader = factory.createXMLStreamReader(new StringReader(xml));
        }
        catch (XMLStreamException e) {
            throw new EventXmlException("event XML cannot be read: " + e.getMessage(), e);
        }
        try {
            boolean sawEvent = false;
            while (reader.hasNext()) {
                int type = reader.next();
                if (type == XMLStreamConstants.DTD) {
                    throw new EventXmlException("event XML must not contain a DOCTYPE");
                }
                if (type == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw new EventXmlException("event XML refers to an undeclared entity &" + reader.getLocalName() + ";");
                }
                if (type != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                if (!sawEvent) {
                    if (!reader.getLocalName().equals("Event")) {
                        throw new EventXmlException("the root element is <" + reader.getLocalName() + ">, not <Event>");
                    }
                    sawEvent = true;
                    continue;
                }
                switch (reader.getLocalName()) {
                    case "System" -> readSystem(reader, event);
                    case "EventData" -> readEventData(reader, event);
                    case "UserData" -> readUserData(reader, event);
                    case "RenderingInfo" -> readRenderingInfo(reader, event);
                    default -> skipElement(reader);
                }
            }
            if (!sawEvent) {
                throw new EventXmlException("no <Event> element found");
            }
        }
        catch (XMLStreamException e) {
            throw new EventXmlException("event XML is not well-formed: " + e.getMessage(), e);
        }
        finally {
            try {
                reader.close();
            }
            catch (XMLStreamException ignored) {
                // Closing a reader over a string releases nothing that matters.
            }
        }
        return event;
    }

    private static void readSystem(XMLStreamReader reader, ParsedEvent event)
            throws XMLStreamException, EventXmlException
    {
        while (nextChildElement(reader)) {
            switch (reader.getLocalName()) {
                case "Provider" -> {
                    event.providerName = attribute(reader, "Name");
                    event.providerGuid = attribute(reader, "Guid");
                    skipElement(reader);
                }
                case "EventID" -> {
                    event.qualifiers = attribute(reader, "Qualifiers");
                    event.eventId = reader.getElementText().trim();
                }
                case "Version" -> event.version = reader.getElementText().trim();
                case "Level" -> event.level = reader.getElementText().trim();
                case "Task" -> event.task = reader.getElementText().trim();
                case "Opcode" -> event.opcode = reader.getElementText().trim();
                case "Keywords" -> event.keywords = reader.getElementText().trim();
                case "TimeCreated" -> {
                    event.timeCreated = attribute(reader, "SystemTime");
                    skipElement(reader);
                }
                case "EventRecordID" -> event.recordId = reader.getElementText().trim();
                case "Correlation" -> {
                    event.activityId = attribute(reader, "ActivityID");
                    event.relatedActivityId = attribute(reader, "RelatedActivityID");
                    skipElement(reader);
                }
                case "Execution" -> {
                    event.processId = attribute(reader, "ProcessID");
                    event.threadId = attribute(reader, "ThreadID");
                    skipElement(reader);
                }
                case "Channel" -> event.channel = reader.getElementText().trim();
                case "Computer" -> event.computer = reader.getElementText().trim();
                case "Security" -> {
                    event.userId = attribute(reader, "UserID");
                    skipElement(reader);
                }
                default -> skipElement(reader);
            }
        }
    }

    private static void readEventData(XMLStreamReader reader, ParsedEvent event)
            throws XMLStreamException, EventXmlException
    {
        int unnamed = 0;
        while (nextChildElement(reader)) {
            String element = reader.getLocalName();
            if (element.equals("Data")) {
                String name = attribute(reader, "Name");
                String value = reader.getElementText();
                if (name == null || name.isEmpty()) {
                    unnamed++;
                    name = "param" + unnamed;
                }
                event.eventData.put(name, value);
            }
            else if (element.equals("Binary")) {
                event.eventData.put("Binary", reader.getElementText().trim());
            }
            else {
                readNested(reader, element, event.eventData);
            }
        }
    }

    private static void readUserData(XMLStreamReader reader, ParsedEvent event)
            throws XMLStreamException, EventXmlException
    {
        while (nextChildElement(reader)) {
            event.userDataName = reader.getLocalName();
            while (nextChildElement(reader)) {
                readNested(reader, reader.getLocalName(), event.userData);
            }
        }
    }

    /** Reads an element that may nest further into dotted keys ({@code Outer.Inner}); repeated keys become lists. */
    private static void readNested(XMLStreamReader reader, String key, Map<String, Object> into)
            throws XMLStreamException, EventXmlException
    {
        StringBuilder text = new StringBuilder();
        boolean hasChildren = false;
        while (true) {
            int type = reader.next();
            if (type == XMLStreamConstants.START_ELEMENT) {
                hasChildren = true;
                readNested(reader, key + "." + reader.getLocalName(), into);
            }
            else if (type == XMLStreamConstants.CHARACTERS || type == XMLStreamConstants.CDATA || type == XMLStreamConstants.SPACE) {
                text.append(reader.getText());
            }
            else if (type == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new EventXmlException("event XML refers to an undeclared entity &" + reader.getLocalName() + ";");
            }
            else if (type == XMLStreamConstants.END_ELEMENT) {
                break;
            }
        }
        if (!hasChildren) {
            put(into, key, text.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> into, String key, String value)
    {
        Object previous = into.get(key);
        if (previous == null) {
            into.put(key, value);
        }
        else if (previous instanceof List) {
            ((List<Object>) previous).add(value);
        }
        else {
            List<Object> values = new ArrayList<>();
            values.add(previous);
            values.add(value);
            into.put(key, values);
        }
    }

    private static void readRenderingInfo(XMLStreamReader reader, ParsedEvent event)
            throws XMLStreamException, EventXmlException
    {
        while (nextChildElement(reader)) {
            switch (reader.getLocalName()) {
                case "Message" -> event.renderedMessage = reader.getElementText();
                case "Level" -> event.renderedLevel = reader.getElementText().trim();
                case "Task" -> event.renderedTask = reader.getElementText().trim();
                case "Opcode" -> event.renderedOpcode = reader.getElementText().trim();
                case "Keywords" -> {
                    List<String> names = new ArrayList<>();
                    while (nextChildElement(reader)) {
                        String name = reader.getElementText().trim();
                        if (!name.isEmpty()) {
                            names.add(name);
                        }
                    }
                    event.renderedKeywords = names;
                }
                default -> skipElement(reader);
            }
        }
    }

    /** Advances to the next child start element of the current element; false at its end element. */
    private static boolean nextChildElement(XMLStreamReader reader)
            throws XMLStreamException, EventXmlException
    {
        while (reader.hasNext()) {
            int type = reader.next();
            if (type == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (type == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
            if (type == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new EventXmlException("event XML refers to an undeclared entity &" + reader.getLocalName() + ";");
            }
        }
        return false;
    }

    private static void skipElement(XMLStreamReader reader)
            throws XMLStreamException, EventXmlException
    {
        int depth = 1;
        while (depth > 0 && reader.hasNext()) {
            int type = reader.next();
            if (type == XMLStreamConstants.START_ELEMENT) {
                depth++;
            }
            else if (type == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
            else if (type == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new EventXmlException("event XML refers to an undeclared entity &" + reader.getLocalName() + ";");
            }
        }
    }

    private static String attribute(XMLStreamReader reader, String name)
    {
        String value = reader.getAttributeValue(null, name);
        return value == null || value.isEmpty() ? null : value;
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

    /** What the XML says, before it becomes fields. */
    private static final class ParsedEvent
    {
        String providerName;
        String providerGuid;
        String eventId;
        String qualifiers;
        String version;
        String level;
        String task;
        String opcode;
        String keywords;
        String timeCreated;
        String recordId;
        String activityId;
        String relatedActivityId;
        String processId;
        String threadId;
        String channel;
        String computer;
        String userId;
        final Map<String, Object> eventData = new LinkedHashMap<>();
        String userDataName;
        final Map<String, Object> userData = new LinkedHashMap<>();
        String renderedMessage;
        String renderedLevel;
        String renderedTask;
        String renderedOpcode;
        List<String> renderedKeywords;
    }
}
