package io.outrider.plugin.otlp;

/**
 * Where {@link LogRecordMapper} writes an {@code ExportLogsServiceRequest}, element by element, in the order of the
 * OTLP messages: for each resource, its records; for each record, its attributes; each attribute's value as one
 * {@code AnyValue} call (or a begin/end pair around the values of an array or the entries of a kvlist, each entry a
 * {@link #beginAttribute} ... {@link #endAttribute} pair). One writer per request, on the delivering thread; the
 * encodings (protobuf, OTLP/JSON) differ only in how they write, so the mapping is written once.
 */
interface LogsWriter
{
    /**
     * Starts a {@code ResourceLogs} with its resource's attributes (string values) and its one {@code ScopeLogs}'s
     * scope.
     */
    void beginResource(String[] attributeKeys, String[] attributeValues, String scopeName, String scopeVersion);

    void endResource();

    /**
     * Starts a {@code LogRecord}.
     *
     * @param severityNumber 0 for unspecified
     * @param severityText empty for none
     */
    void beginRecord(long timeUnixNano, long observedTimeUnixNano, int severityNumber, String severityText, String body);

    void endRecord();

    /** Starts a {@code KeyValue}: a record's attribute or a kvlist's entry; its value follows. */
    void beginAttribute(String key);

    void endAttribute();

    void stringValue(String value);

    void boolValue(boolean value);

    void intValue(long value);

    void doubleValue(double value);

    /** An {@code AnyValue} with nothing set (a null). */
    void emptyValue();

    void beginArray();

    void endArray();

    void beginKeyValueList();

    void endKeyValueList();

    /** The request: bytes {@code [0, length)} of an array that may be longer; the writer is done. */
    Encoded finish();

    /** An encoded request: bytes {@code [0, length)} of {@code bytes}. */
    record Encoded(byte[] bytes, int length)
    {
        public Encoded
        {
            if (length < 0 || length > bytes.length) {
                throw new IllegalArgumentException("length " + length + " outside an array of " + bytes.length);
            }
        }

        byte[] toByteArray()
        {
            return java.util.Arrays.copyOf(bytes, length);
        }
    }
}
