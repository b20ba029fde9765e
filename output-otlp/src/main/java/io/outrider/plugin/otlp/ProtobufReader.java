package io.outrider.plugin.otlp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the few fields the output needs from a collector's protobuf answers ({@code ExportLogsServiceResponse}'s
 * {@code partial_success}, {@code google.rpc.Status}'s message) with the wire format's rules: a scalar or string
 * field's last occurrence wins, an embedded message's occurrences merge, fields of other numbers or wire types are
 * skipped. Stateless.
 */
final class ProtobufReader
{
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private ProtobufReader() {}

    /** Thrown for bytes that are not a protobuf message: truncated, a group, a field number 0, an overlong varint. */
    static final class MalformedException
            extends Exception
    {
        MalformedException(String message)
        {
            super(message);
        }
    }

    /** The last varint of {@code field}, or {@code absent}. */
    static long varint(byte[] message, int field, long absent)
            throws MalformedException
    {
        long[] found = {absent};
        read(message, (number, wireType, bytes, offset, length, value) -> {
            if (number == field && wireType == VARINT) {
                found[0] = value;
            }
        });
        return found[0];
    }

    /** The last string (UTF-8) of {@code field}, or empty. */
    static String string(byte[] message, int field)
            throws MalformedException
    {
        String[] found = {""};
        read(message, (number, wireType, bytes, offset, length, value) -> {
            if (number == field && wireType == LENGTH_DELIMITED) {
                found[0] = new String(bytes, offset, length, StandardCharsets.UTF_8);
            }
        });
        return found[0];
    }

    /** The embedded message of {@code field}, its occurrences merged (concatenated); empty when there is none. */
    static byte[] message(byte[] message, int field)
            throws MalformedException
    {
        ByteArrayOutputStream merged = new ByteArrayOutputStream();
        read(message, (number, wireType, bytes, offset, length, value) -> {
            if (number == field && wireType == LENGTH_DELIMITED) {
                merged.write(bytes, offset, length);
            }
        });
        return merged.toByteArray();
    }

    private interface FieldVisitor
    {
        /** A field: {@code value} for a varint, {@code bytes[offset, offset + length)} for a length-delimited one. */
        void field(int number, int wireType, byte[] bytes, int offset, int length, long value);
    }

    private static void read(byte[] bytes, FieldVisitor visitor)
            throws MalformedException
    {
        int[] at = {0};
        while (at[0] < bytes.length) {
            long tag = readVarint(bytes, at);
            int wireType = (int) (tag & 7);
            long number = tag >>> 3;
            if (number == 0 || number > 0x1FFFFFFF) {
                throw new MalformedException("field number " + number);
            }
            switch (wireType) {
                case VARINT -> visitor.field((int) number, wireType, bytes, 0, 0, readVarint(bytes, at));
                case FIXED64 -> skip(bytes, at, 8);
                case FIXED32 -> skip(bytes, at, 4);
                case LENGTH_DELIMITED -> {
                    long length = readVarint(bytes, at);
                    if (length < 0 || length > bytes.length - at[0]) {
                        throw new MalformedException("a length past the end");
                    }
                    visitor.field((int) number, wireType, bytes, at[0], (int) length, 0);
                    at[0] += (int) length;
                }
                default -> throw new MalformedException("wire type " + wireType);
            }
        }
    }

    private static void skip(byte[] bytes, int[] at, int count)
            throws MalformedException
    {
        if (count > bytes.length - at[0]) {
            throw new MalformedException("truncated");
        }
        at[0] += count;
    }

    private static long readVarint(byte[] bytes, int[] at)
            throws MalformedException
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= bytes.length) {
                throw new MalformedException("truncated");
            }
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new MalformedException("a varint longer than 10 bytes");
    }
}
