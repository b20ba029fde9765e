package io.outrider.plugin.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes an {@code ExportLogsServiceRequest} in the protobuf wire format (opentelemetry-proto's
 * {@code collector/logs/v1}, {@code logs/v1}, {@code common/v1} and {@code resource/v1} messages) into one growing
 * byte array: fields in field-number order, proto3 scalars left out at their defaults, the members of
 * {@code AnyValue}'s oneof always written, as protobuf's own serializer does (the tests compare the bytes with its).
 *
 * <p>An embedded message's length comes before it and is known only at its end: each message is written after one
 * byte kept for its length, and the rare message of 128 bytes or more is moved up by the length's further bytes when
 * it ends (a record's attributes, a resource's records: once each).
 *
 * <p>One request per writer, on one thread.
 */
final class ProtobufLogsWriter
        implements LogsWriter
{
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;

    // ExportLogsServiceRequest.resource_logs; ResourceLogs.resource, .scope_logs; Resource.attributes
    private static final int REQUEST_RESOURCE_LOGS = 1;
    private static final int RESOURCE_LOGS_RESOURCE = 1;
    private static final int RESOURCE_LOGS_SCOPE_LOGS = 2;
    private static final int RESOURCE_ATTRIBUTES = 1;
    // ScopeLogs.scope, .log_records; InstrumentationScope.name, .version
    private static final int SCOPE_LOGS_SCOPE = 1;
    private static final int SCOPE_LOGS_LOG_RECORDS = 2;
    private static final int SCOPE_NAME = 1;
    private static final int SCOPE_VERSION = 2;
    // LogRecord
    private static final int RECORD_TIME_UNIX_NANO = 1;
    private static final int RECORD_SEVERITY_NUMBER = 2;
    private static final int RECORD_SEVERITY_TEXT = 3;
    private static final int RECORD_BODY = 5;
    private static final int RECORD_ATTRIBUTES = 6;
    private static final int RECORD_OBSERVED_TIME_UNIX_NANO = 11;
    // KeyValue, KeyValueList, ArrayValue
    private static final int KEY_VALUE_KEY = 1;
    private static final int KEY_VALUE_VALUE = 2;
    private static final int KEY_VALUE_LIST_VALUES = 1;
    private static final int ARRAY_VALUES = 1;
    // AnyValue's oneof
    private static final int ANY_STRING = 1;
    private static final int ANY_BOOL = 2;
    private static final int ANY_INT = 3;
    private static final int ANY_DOUBLE = 4;
    private static final int ANY_ARRAY = 5;
    private static final int ANY_KVLIST = 6;

    // what an attribute or a value is written into
    private static final byte IN_RECORD = 0;
    private static final byte IN_KEY_VALUE = 1;
    private static final byte IN_ARRAY = 2;
    private static final byte IN_KEY_VALUE_LIST = 3;

    private byte[] buffer;
    private int position;
    // where each open message's length goes
    private int[] openMessages = new int[16];
    private int openCount;
    private byte[] containers = new byte[16];
    private int containerCount;
    private long recordObservedTime;

    ProtobufLogsWriter(int expectedBytes)
    {
        this(new byte[Math.max(64, expectedBytes)]);
    }

    /** Writes into {@code buffer} (a previous request's, say), or into a larger copy when it is not large enough. */
    ProtobufLogsWriter(byte[] buffer)
    {
        this.buffer = buffer;
    }

    @Override
    public void beginResource(String[] attributeKeys, String[] attributeValues, String scopeName, String scopeVersion)
    {
        beginMessage(REQUEST_RESOURCE_LOGS);
        beginMessage(RESOURCE_LOGS_RESOURCE);
        for (int i = 0; i < attributeKeys.length; i++) {
            beginMessage(RESOURCE_ATTRIBUTES);
            string(KEY_VALUE_KEY, attributeKeys[i]);
            beginMessage(KEY_VALUE_VALUE);
            oneofString(ANY_STRING, attributeValues[i]);
            endMessage();
            endMessage();
        }
        endMessage();
        beginMessage(RESOURCE_LOGS_SCOPE_LOGS);
        beginMessage(SCOPE_LOGS_SCOPE);
        string(SCOPE_NAME, scopeName);
        string(SCOPE_VERSION, scopeVersion);
        endMessage();
    }

    @Override
    public void endResource()
    {
        endMessage();
        endMessage();
    }

    @Override
    public void beginRecord(long timeUnixNano, long observedTimeUnixNano, int severityNumber, String severityText, String body)
    {
        beginMessage(SCOPE_LOGS_LOG_RECORDS);
        if (timeUnixNano != 0) {
            tag(RECORD_TIME_UNIX_NANO, FIXED64);
            fixed64(timeUnixNano);
        }
        if (severityNumber != 0) {
            tag(RECORD_SEVERITY_NUMBER, VARINT);
            varint(severityNumber);
        }
        string(RECORD_SEVERITY_TEXT, severityText);
        beginMessage(RECORD_BODY);
        oneofString(ANY_STRING, body);
        endMessage();
        recordObservedTime = observedTimeUnixNano;
        pushContainer(IN_RECORD);
    }

    @Override
    public void endRecord()
    {
        popContainer();
        if (recordObservedTime != 0) {
            tag(RECORD_OBSERVED_TIME_UNIX_NANO, FIXED64);
            fixed64(recordObservedTime);
        }
        endMessage();
    }

    @Override
    public void beginAttribute(String key)
    {
        beginMessage(containers[containerCount - 1] == IN_RECORD ? RECORD_ATTRIBUTES : KEY_VALUE_LIST_VALUES);
        string(KEY_VALUE_KEY, key);
        pushContainer(IN_KEY_VALUE);
    }

    @Override
    public void endAttribute()
    {
        popContainer();
        endMessage();
    }

    @Override
    public void stringValue(String value)
    {
        beginValue();
        oneofString(ANY_STRING, value);
        endMessage();
    }

    @Override
    public void boolValue(boolean value)
    {
        beginValue();
        tag(ANY_BOOL, VARINT);
        varint(value ? 1 : 0);
        endMessage();
    }

    @Override
    public void intValue(long value)
    {
        beginValue();
        tag(ANY_INT, VARINT);
        varint(value);
        endMessage();
    }

    @Override
    public void doubleValue(double value)
    {
        beginValue();
        tag(ANY_DOUBLE, FIXED64);
        fixed64(Double.doubleToRawLongBits(value));
        endMessage();
    }

    @Override
    public void emptyValue()
    {
        beginValue();
        endMessage();
    }

    @Override
    public void beginArray()
    {
        beginValue();
        beginMessage(ANY_ARRAY);
        pushContainer(IN_ARRAY);
    }

    @Override
    public void endArray()
    {
        popContainer();
        endMessage();
        endMessage();
    }

    @Override
    public void beginKeyValueList()
    {
        beginValue();
        beginMessage(ANY_KVLIST);
        pushContainer(IN_KEY_VALUE_LIST);
    }

    @Override
    public void endKeyValueList()
    {
        popContainer();
        endMessage();
        endMessage();
    }

    @Override
    public Encoded finish()
    {
        if (openCount != 0) {
            throw new IllegalStateException(openCount + " messages are still open");
        }
        return new Encoded(buffer, position);
    }

    /** Opens the {@code AnyValue} of a key-value or of an array's element. */
    private void beginValue()
    {
        beginMessage(containers[containerCount - 1] == IN_ARRAY ? ARRAY_VALUES : KEY_VALUE_VALUE);
    }

    private void pushContainer(byte container)
    {
        if (containerCount == containers.length) {
            containers = Arrays.copyOf(containers, containerCount * 2);
        }
        containers[containerCount++] = container;
    }

    private void popContainer()
    {
        containerCount--;
    }

    private void beginMessage(int field)
    {
        tag(field, LENGTH_DELIMITED);
        ensure(1);
        if (openCount == openMessages.length) {
            openMessages = Arrays.copyOf(openMessages, openCount * 2);
        }
        openMessages[openCount++] = position;
        position++;
    }

    private void endMessage()
    {
        int lengthAt = openMessages[--openCount];
        int length = position - lengthAt - 1;
        int lengthBytes = varintSize(length);
        if (lengthBytes > 1) {
            ensure(lengthBytes - 1);
            System.arraycopy(buffer, lengthAt + 1, buffer, lengthAt + lengthBytes, length);
            position += lengthBytes - 1;
        }
        int at = lengthAt;
        long value = length;
        while (value >= 0x80) {
            buffer[at++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        buffer[at] = (byte) value;
    }

    /** A proto3 string field: left out when empty. */
    private void string(int field, String value)
    {
        if (!value.isEmpty()) {
            oneofString(field, value);
        }
    }

    /** A string field that is written even when empty (a member of a oneof). */
    private void oneofString(int field, String value)
    {
        tag(field, LENGTH_DELIMITED);
        int length = value.length();
        int ascii = 0;
        while (ascii < length && value.charAt(ascii) < 0x80) {
            ascii++;
        }
        if (ascii == length) {
            varint(length);
            ensure(length);
            for (int i = 0; i < length; i++) {
                buffer[position++] = (byte) value.charAt(i);
            }
            return;
        }
        // (an unpaired surrogate becomes '?', as in protobuf's own encoder)
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length);
        write(utf8, utf8.length);
    }

    private void tag(int field, int wireType)
    {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value)
    {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[position++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[position++] = (byte) value;
    }

    private void fixed64(long value)
    {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buffer[position++] = (byte) (value >>> (8 * i));
        }
    }

    private void write(byte[] bytes, int length)
    {
        ensure(length);
        System.arraycopy(bytes, 0, buffer, position, length);
        position += length;
    }

    private void ensure(int more)
    {
        if (position + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(position + more, buffer.length * 2));
        }
    }

    private static int varintSize(int value)
    {
        if (value < (1 << 7)) {
            return 1;
        }
        if (value < (1 << 14)) {
            return 2;
        }
        if (value < (1 << 21)) {
            return 3;
        }
        if (value < (1 << 28)) {
            return 4;
        }
        return 5;
    }
}
