package io.outrider.plugin.winevent;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one event's XML into what it says ({@link ParsedEvent}), before {@link EventXmlMapper} turns that into fields.
 * Hardened: DTDs and external entities are off, a DOCTYPE or an undeclared entity is refused. Not thread-safe: the
 * JDK's reader is reused from one event to the next.
 */
final class EventXmlReader
{
    private final XMLInputFactory factory;

    EventXmlReader()
    {
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

    /** @throws EventXmlException when the XML is not one well-formed {@code <Event>} without DOCTYPE or entities */
    ParsedEvent read(String xml)
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

    /** What the XML says, before it becomes fields. */
    static final class ParsedEvent
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
