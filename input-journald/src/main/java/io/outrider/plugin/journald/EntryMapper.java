package io.outrider.plugin.journald;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Turns the {@code FIELD=value} data of one journal entry into an {@link Event}: {@code MESSAGE} becomes the message,
 * the well-known fields become ECS-like fields ({@code host.name} from {@code _HOSTNAME} else the agent's host name,
 * {@code process.name} from {@code SYSLOG_IDENTIFIER} else {@code _COMM}, {@code process.pid} from {@code _PID} else
 * {@code SYSLOG_PID}, {@code systemd.unit} from {@code _SYSTEMD_UNIT}, {@code log.syslog.priority} and
 * {@code log.syslog.facility} as numbers) and every other selected field goes under
 * {@code journald.<lower-case name>} in stored order (a field repeated in one entry becomes a list). A well-known
 * field whose value does not fit (a PID that is not a number) stays under {@code journald.} instead.
 *
 * <p>Values are bytes in the journal; they are decoded as UTF-8 with invalid sequences replaced, so binary data never
 * breaks an event. A value longer than the configured maximum is cut at a character boundary and the event gets
 * {@code log.flags: [truncated]}.
 *
 * <p>Use: {@link #addField} for every datum of an entry, then {@link #build}; not thread-safe, reused entry after
 * entry.
 */
final class EntryMapper
{
    static final String FIELD_PREFIX = "journald.";
    static final String SYSTEMD_UNIT = Fields.SYSTEMD_UNIT;
    static final String TRUNCATED_FLAG = "truncated";
    /** The longest field name journald accepts is 64 bytes. */
    static final int MAX_FIELD_NAME_BYTES = 64;
    // field names come from the logging programs: bound the cache so a program inventing names cannot grow it forever
    private static final int MAX_CACHED_NAMES = 4096;

    // what a journal field is used for
    private static final int OTHER = 0;
    private static final int MESSAGE = 1;
    private static final int HOSTNAME = 2;
    private static final int IDENTIFIER = 3;
    private static final int PID = 4;
    private static final int SYSLOG_PID = 5;
    private static final int UNIT = 6;
    private static final int PRIORITY = 7;
    private static final int FACILITY = 8;
    private static final int COMM = 9;
    private static final int ROLES = 10;

    private final FieldSelector selector;
    private final int maxValueBytes;
    private final String defaultHostName;
    // open addressing over the name bytes: a known name costs no String, no hashing of a new String, no map lookup
    private final FieldName[] names = new FieldName[2 * MAX_CACHED_NAMES];
    private int cachedNames;

    // the entry being mapped
    private long entryNumber;
    private final String[] wellKnown = new String[ROLES];
    private final FieldName[] wellKnownNames = new FieldName[ROLES];
    private String[] otherKeys = new String[32];
    private Object[] otherValues = new Object[32];
    private int otherCount;
    private boolean truncated;
    private long truncatedFields;

    EntryMapper(FieldSelector selector, int maxValueBytes, String defaultHostName)
    {
        this.selector = requireNonNull(selector, "selector is null");
        if (maxValueBytes < 1) {
            throw new IllegalArgumentException("maxValueBytes must be positive");
        }
        this.maxValueBytes = maxValueBytes;
        this.defaultHostName = requireNonNull(defaultHostName, "defaultHostName is null");
    }

    /**
     * The datum length that tells a value longer than the maximum: the longest name, '=', one byte past the longest
     * value. libsystemd's data threshold is set to it, and no more than this is copied out of the journal.
     */
    long datumLimit()
    {
        return MAX_FIELD_NAME_BYTES + 1L + maxValueBytes + 1L;
    }

    /** How many bytes of a datum of {@code datumLength} bytes to copy out of the journal. */
    int bytesNeeded(long datumLength)
    {
        return (int) Math.min(datumLength, datumLimit());
    }

    /**
     * Adds one datum of the current entry.
     *
     * @param datum {@code NAME=value}, possibly only its first {@link #bytesNeeded} bytes
     * @param datumLength the datum's length as the journal reports it
     */
    void addField(byte[] datum, long datumLength)
    {
        int equals = indexOf(datum, (byte) '=');
        if (equals <= 0) {
            // libsystemd never hands out a datum without a name; skip rather than invent one
            return;
        }
        FieldName name = fieldName(datum, equals);
        long valueLength = datumLength - equals - 1;
        if (name.role != OTHER) {
            String value = value(datum, equals, valueLength);
            wellKnown[name.role] = value;
            wellKnownNames[name.role] = name;
            if (name.role == COMM) {
                // kept under journald. too: the executable name tells sshd from sshd-session when the identifier does not
                addOther(name, value);
            }
        }
        else if (name.eventKey != null) {
            addOther(name, value(datum, equals, valueLength));
        }
    }

    /** The event of the entry whose fields were added, and a reset for the next entry. */
    Event build(Instant timestamp)
    {
        String message = wellKnown[MESSAGE];
        String hostName = wellKnown[HOSTNAME];
        Event.Builder event = Event.builder()
                .timestamp(timestamp)
                .message(message == null ? "" : message)
                .field(Fields.HOST_NAME, hostName == null || hostName.isEmpty() ? defaultHostName : hostName)
                .field(Fields.PROCESS_NAME, wellKnown[IDENTIFIER] != null ? wellKnown[IDENTIFIER] : wellKnown[COMM]);
        Long processId = number(wellKnown[PID]);
        if (wellKnown[PID] != null && processId == null) {
            addOther(wellKnownNames[PID], wellKnown[PID]);
        }
        if (processId == null && number(wellKnown[SYSLOG_PID]) != null) {
            processId = number(wellKnown[SYSLOG_PID]);
        }
        else if (wellKnown[SYSLOG_PID] != null) {
            addOther(wellKnownNames[SYSLOG_PID], wellKnown[SYSLOG_PID]);
        }
        event.field(Fields.PROCESS_PID, processId);
        event.field(SYSTEMD_UNIT, wellKnown[UNIT]);
        putNumberOrRaw(event, Fields.LOG_SYSLOG_PRIORITY, PRIORITY, 0, 7);
        putNumberOrRaw(event, Fields.LOG_SYSLOG_FACILITY, FACILITY, 0, 23);
        for (int i = 0; i < otherCount; i++) {
            event.field(otherKeys[i], otherValues[i]);
        }
        if (truncated) {
            event.field(Fields.LOG_FLAGS, List.of(TRUNCATED_FLAG));
        }
        Event built = event.build();
        reset();
        return built;
    }

    /** How many field values were cut since this mapper was created. */
    long truncatedFields()
    {
        return truncatedFields;
    }

    /** Converts {@code __REALTIME_TIMESTAMP} (microseconds since the epoch) to an instant. */
    static Instant instantOfMicros(long micros)
    {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private void reset()
    {
        Arrays.fill(wellKnown, null);
        Arrays.fill(wellKnownNames, null);
        Arrays.fill(otherKeys, 0, otherCount, null);
        Arrays.fill(otherValues, 0, otherCount, null);
        otherCount = 0;
        truncated = false;
        entryNumber++;
    }

    /**
     * The value as a number when it is one within {@code [min, max]}; otherwise the text, kept under {@code journald.}:
     * journald's PRIORITY is a severity (0 to 7), and a 9 read as the syslog PRI it resembles would be sent as user.alert
     * (a walkthrough's journal entry with PRIORITY=9).
     */
    private void putNumberOrRaw(Event.Builder event, String field, int role, long min, long max)
    {
        String text = wellKnown[role];
        Long number = number(text);
        if (number != null && number >= min && number <= max) {
            event.field(field, number);
        }
        else if (text != null) {
            // a well-known field whose value does not fit its ECS field stays visible under journald.
            addOther(wellKnownNames[role], text);
        }
    }

    @SuppressWarnings("unchecked")
    private void addOther(FieldName name, String value)
    {
        if (name.eventKey == null) {
            return;
        }
        int slot = name.lastEntry == entryNumber ? name.slot : -1;
        if (slot < 0 && !name.cached) {
            // uncached names carry no per-entry mark: look for a repeat the slow way
            for (int i = 0; i < otherCount && slot < 0; i++) {
                slot = otherKeys[i].equals(name.eventKey) ? i : -1;
            }
        }
        if (slot >= 0) {
            // the journal allows a field more than once per entry: all values, in order
            Object previous = otherValues[slot];
            List<Object> values;
            if (previous instanceof List) {
                values = (List<Object>) previous;
            }
            else {
                values = new ArrayList<>();
                values.add(previous);
                otherValues[slot] = values;
            }
            values.add(value);
            return;
        }
        if (otherCount == otherKeys.length) {
            otherKeys = Arrays.copyOf(otherKeys, otherCount * 2);
            otherValues = Arrays.copyOf(otherValues, otherCount * 2);
        }
        name.lastEntry = entryNumber;
        name.slot = otherCount;
        otherKeys[otherCount] = name.eventKey;
        otherValues[otherCount] = value;
        otherCount++;
    }

    private FieldName fieldName(byte[] datum, int length)
    {
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + datum[i];
        }
        int mask = names.length - 1;
        int index = (hash ^ (hash >>> 16)) & mask;
        for (FieldName candidate = names[index]; candidate != null; candidate = names[index]) {
            if (candidate.hash == hash && Arrays.equals(candidate.bytes, 0, candidate.bytes.length, datum, 0, length)) {
                return candidate;
            }
            index = (index + 1) & mask;
        }
        String text = new String(datum, 0, length, StandardCharsets.US_ASCII);
        boolean cache = cachedNames < MAX_CACHED_NAMES;
        FieldName name = new FieldName(Arrays.copyOf(datum, length), hash, roleOf(text), selector.isSelected(text) ? FIELD_PREFIX + text.toLowerCase(Locale.ROOT) : null, cache);
        if (cache) {
            names[index] = name;
            cachedNames++;
        }
        return name;
    }

    private static int roleOf(String name)
    {
        return switch (name) {
            case "MESSAGE" -> MESSAGE;
            case "_HOSTNAME" -> HOSTNAME;
            case "SYSLOG_IDENTIFIER" -> IDENTIFIER;
            case "_PID" -> PID;
            case "SYSLOG_PID" -> SYSLOG_PID;
            case "_SYSTEMD_UNIT" -> UNIT;
            case "PRIORITY" -> PRIORITY;
            case "SYSLOG_FACILITY" -> FACILITY;
            case "_COMM" -> COMM;
            default -> OTHER;
        };
    }

    private String value(byte[] datum, int equals, long valueLength)
    {
        int start = equals + 1;
        int available = datum.length - start;
        if (valueLength <= maxValueBytes && available >= valueLength) {
            return new String(datum, start, (int) valueLength, StandardCharsets.UTF_8);
        }
        truncated = true;
        truncatedFields++;
        int end = start + (int) Math.min(Math.min(maxValueBytes, valueLength), available);
        // back off to the first byte of a UTF-8 sequence, so the cut does not create a replacement character
        if (end < datum.length && (datum[end] & 0xC0) == 0x80) {
            int limit = Math.max(start, end - 3);
            while (end > limit && (datum[end] & 0xC0) == 0x80) {
                end--;
            }
        }
        return new String(datum, start, end - start, StandardCharsets.UTF_8);
    }

    private static Long number(String text)
    {
        if (text == null || text.isEmpty() || text.length() > 18) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int indexOf(byte[] bytes, byte value)
    {
        int limit = Math.min(bytes.length, MAX_FIELD_NAME_BYTES + 1);
        for (int i = 0; i < limit; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** A journal field name seen before, with what to do with its values. */
    private static final class FieldName
    {
        private final byte[] bytes;
        private final int hash;
        private final int role;
        /** The event field of its values under journald., or {@code null} when not selected. */
        private final String eventKey;
        private final boolean cached;
        /** The entry in which it was last put under journald., and where. */
        private long lastEntry = -1;
        private int slot;

        private FieldName(byte[] bytes, int hash, int role, String eventKey, boolean cached)
        {
            this.bytes = bytes;
            this.hash = hash;
            this.role = role;
            this.eventKey = eventKey;
            this.cached = cached;
        }
    }
}
