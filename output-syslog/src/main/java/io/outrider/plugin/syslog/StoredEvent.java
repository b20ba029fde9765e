package io.outrider.plugin.syslog;

import io.outrider.spi.Event;
import io.outrider.spi.EventVisitor;
import io.outrider.spi.Fields;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What the syslog header and MSG need of one event, read by an {@link EventVisitor} pass over the stored event
 * instead of from an {@link Event}: the timestamp, the message and the handful of fields {@link SyslogEventMapper}
 * looks at, copied into buffers kept from one event to the next. Text stays UTF-8 unless it came as a string (or
 * something asks for it as one, which only rare values do). Not thread-safe: one per {@link SyslogWriter}.
 */
final class StoredEvent
        implements EventVisitor
{
    private static final byte[] AUTHENTICATION = "authentication".getBytes(StandardCharsets.US_ASCII);

    final Slot hostName = new Slot();
    final Slot syslogHostName = new Slot();
    final Slot processName = new Slot();
    final Slot processPid = new Slot();
    final Slot eventAction = new Slot();
    final Slot eventOutcome = new Slot();
    final Slot priority = new Slot();
    final Slot facility = new Slot();
    final Slot message = new Slot();

    long epochSecond;
    int nanos;
    /** event.category is "authentication" or a list holding it. */
    boolean authenticationCategory;
    /** A field's value is a map or a list: only the {@link Event} path writes those (as JSON, or by toString). */
    boolean topLevelContainer;
    /** A header field other than event.category holds a map or a list, which only the {@link Event} path maps. */
    boolean headerContainer;

    /** Where each field goes as well, but for maps and lists (see {@link #topLevelContainer}); null: nowhere. */
    private EventVisitor fields;
    /** The slot the next top-level value goes to; null for a field the header does not use. */
    private Slot target;
    private boolean inCategory;
    private int depth;

    /**
     * Reads event {@code index} of {@code batch}, passing each field that holds neither a map nor a list on to
     * {@code fields} (when not null) as it goes; exceptions as {@link EventVisitor#visit(List, int, EventVisitor)}.
     */
    void read(List<Event> batch, int index, EventVisitor fields)
    {
        this.fields = fields;
        hostName.clear();
        syslogHostName.clear();
        processName.clear();
        processPid.clear();
        eventAction.clear();
        eventOutcome.clear();
        priority.clear();
        facility.clear();
        message.clear();
        authenticationCategory = false;
        topLevelContainer = false;
        headerContainer = false;
        target = null;
        inCategory = false;
        depth = 0;
        EventVisitor.visit(batch, index, this);
    }

    @Override
    public void timestamp(long epochSecond, int nanos)
    {
        this.epochSecond = epochSecond;
        this.nanos = nanos;
    }

    @Override
    public void message(byte[] utf8, int offset, int length)
    {
        message.utf8(utf8, offset, length);
    }

    @Override
    public void message(String text)
    {
        message.text(text);
    }

    @Override
    public void name(String name)
    {
        if (depth > 0) {
            return;
        }
        if (fields != null) {
            fields.name(name);
        }
        inCategory = false;
        target = switch (name) {
            case Fields.HOST_NAME -> hostName;
            case Fields.LOG_SYSLOG_HOSTNAME -> syslogHostName;
            case Fields.PROCESS_NAME -> processName;
            case Fields.PROCESS_PID -> processPid;
            case Fields.EVENT_ACTION -> eventAction;
            case Fields.EVENT_OUTCOME -> eventOutcome;
            case Fields.LOG_SYSLOG_PRIORITY -> priority;
            case Fields.LOG_SYSLOG_FACILITY -> facility;
            default -> null;
        };
        inCategory = name.equals(Fields.EVENT_CATEGORY);
    }

    @Override
    public void nullValue() {}

    @Override
    public void booleanValue(boolean value)
    {
        if (depth == 0 && fields != null) {
            fields.booleanValue(value);
        }
        if (depth == 0 && target != null) {
            target.bool(value);
        }
    }

    @Override
    public void longValue(long value)
    {
        if (depth == 0 && fields != null) {
            fields.longValue(value);
        }
        if (depth == 0 && target != null) {
            target.integral(value);
        }
    }

    @Override
    public void doubleValue(double value)
    {
        if (depth == 0 && fields != null) {
            fields.doubleValue(value);
        }
        if (depth == 0 && target != null) {
            target.otherNumber((long) value, String.valueOf(value));
        }
    }

    @Override
    public void numberValue(Number value)
    {
        if (depth == 0 && fields != null) {
            fields.numberValue(value);
        }
        if (depth == 0 && target != null) {
            target.otherNumber(value.longValue(), String.valueOf(value));
        }
    }

    @Override
    public void stringValue(byte[] utf8, int offset, int length)
    {
        if (depth == 0) {
            if (fields != null) {
                fields.stringValue(utf8, offset, length);
            }
            if (target != null) {
                target.utf8(utf8, offset, length);
            }
            else if (inCategory) {
                authenticationCategory |= Arrays.equals(utf8, offset, offset + length, AUTHENTICATION, 0, AUTHENTICATION.length);
            }
        }
        else if (depth == 1 && inCategory) {
            authenticationCategory |= Arrays.equals(utf8, offset, offset + length, AUTHENTICATION, 0, AUTHENTICATION.length);
        }
    }

    @Override
    public void stringValue(String text)
    {
        if (depth == 0) {
            if (fields != null) {
                fields.stringValue(text);
            }
            if (target != null) {
                target.text(text);
            }
            else if (inCategory) {
                authenticationCategory |= text.equals("authentication");
            }
        }
        else if (depth == 1 && inCategory) {
            authenticationCategory |= text.equals("authentication");
        }
    }

    @Override
    public void startMap(int entries)
    {
        container();
        // a map's entries are not the category list's elements
        if (depth == 0) {
            inCategory = false;
        }
        depth++;
    }

    @Override
    public void endMap()
    {
        depth--;
    }

    @Override
    public void startList(int elements)
    {
        container();
        depth++;
    }

    @Override
    public void endList()
    {
        depth--;
    }

    private void container()
    {
        if (depth == 0) {
            topLevelContainer = true;
            if (target != null) {
                headerContainer = true;
            }
        }
    }

    /** One captured value: absent, UTF-8 bytes (copied), a string, or a number. */
    static final class Slot
    {
        static final int ABSENT = 0;
        static final int UTF8 = 1;
        static final int TEXT = 2;
        /** Long, Integer, Short or Byte in an {@link Event}. */
        static final int INTEGRAL = 3;
        /** Double, Float, BigInteger, BigDecimal. */
        static final int OTHER_NUMBER = 4;
        /** Boolean: neither a number nor a string, but text to {@link Event#fieldAsString}. */
        static final int BOOLEAN = 5;

        int kind;
        byte[] bytes = new byte[64];
        int length;
        /** All of {@link #bytes} is ASCII: a byte is a character. */
        boolean ascii;
        /** The value as text: when it came so, or once {@link #asString} made it. */
        private String text;
        long number;

        void clear()
        {
            kind = ABSENT;
            text = null;
        }

        void utf8(byte[] source, int offset, int length)
        {
            if (bytes.length < length) {
                bytes = new byte[Math.max(length, bytes.length * 2)];
            }
            System.arraycopy(source, offset, bytes, 0, length);
            boolean ascii = true;
            for (int i = 0; i < length; i++) {
                ascii &= source[offset + i] >= 0;
            }
            this.length = length;
            this.ascii = ascii;
            this.text = null;
            kind = UTF8;
        }

        void text(String value)
        {
            text = value;
            kind = TEXT;
        }

        void bool(boolean value)
        {
            text = String.valueOf(value);
            kind = BOOLEAN;
        }

        void integral(long value)
        {
            number = value;
            text = null;
            kind = INTEGRAL;
        }

        void otherNumber(long value, String text)
        {
            number = value;
            this.text = text;
            kind = OTHER_NUMBER;
        }

        boolean present()
        {
            return kind != ABSENT;
        }

        /** ASCII bytes: the header's fast path, where a byte is a character. */
        boolean asciiBytes()
        {
            return kind == UTF8 && ascii;
        }

        /** The value as {@link Event#fieldAsString} gives it; null when absent. */
        String asString()
        {
            if (text == null) {
                if (kind == UTF8) {
                    text = new String(bytes, 0, length, StandardCharsets.UTF_8);
                }
                else if (kind == INTEGRAL) {
                    text = Long.toString(number);
                }
            }
            return text;
        }

        /** As {@link String#isBlank} of {@link #asString}, false when absent. */
        boolean isBlank()
        {
            if (asciiBytes()) {
                for (int i = 0; i < length; i++) {
                    byte b = bytes[i];
                    if (!(b == ' ' || (b >= 9 && b <= 13) || (b >= 28 && b <= 31))) {
                        return false;
                    }
                }
                return true;
            }
            String value = asString();
            return value != null && value.isBlank();
        }

        /** Whether the value ends with the ASCII {@code suffix}, as {@code asString().endsWith(suffix)}. */
        boolean endsWith(byte[] suffix)
        {
            if (asciiBytes()) {
                return length >= suffix.length && Arrays.equals(bytes, length - suffix.length, length, suffix, 0, suffix.length);
            }
            String value = asString();
            return value != null && value.endsWith(new String(suffix, StandardCharsets.US_ASCII));
        }
    }
}
