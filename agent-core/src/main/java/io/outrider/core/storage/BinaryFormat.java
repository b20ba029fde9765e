package io.outrider.core.storage;

/** The constants of the buffer's binary event formats (see {@link EventCodec}), shared by the writer and the reader. */
final class BinaryFormat
{
    /** Names written as strings: buffers from before any dictionary. Decoded only. */
    static final byte FORMAT_BINARY = 0x01;
    /** Names as indexes into {@link #FROZEN_NAMES}. Decoded only. */
    static final byte FORMAT_FROZEN_DICTIONARY = 0x02;
    /** Names as ids of the buffer's own {@link FieldNames}: what is written now. */
    static final byte FORMAT_LEARNED_NAMES = 0x03;

    /**
     * The dictionary of format 0x02, frozen: payloads of that format, in buffers and dead letters written before
     * the names were learned per buffer, refer to these entries by position. Nothing is written with it any more;
     * never change it.
     */
    static final String[] FROZEN_NAMES = {
            "log.file.path", "log.offset", "log.file.size", "log.file.mtime", "host.name",
            "event.original", "event.module", "log.syslog.hostname", "process.name", "process.pid",
            "event.category", "event.action", "event.outcome", "event.reason", "source.ip",
            "source.address", "source.port", "source.domain", "user.name", "sshd.invalid_user",
            "sshd.auth_method", "sshd.key_type", "sshd.key_fingerprint", "event.count", "log.syslog.priority",
            "log.syslog.facility", "log.flags", "agent.name", "agent.version", "systemd.unit",
            "event.kind", "event.dataset", "event.severity", "event.code", "error.message",
            "user.id", "user.domain", "file.path", "file.size", "file.mtime",
            "file.owner", "file.group", "file.mode", "file.inode", "winlog.event_id",
            "winlog.channel", "winlog.provider_name", "winlog.record_id", "winlog.computer_name", "winlog.level"};

    static final byte NULL = 0;
    static final byte FALSE = 1;
    static final byte TRUE = 2;
    static final byte LONG = 3;
    static final byte DOUBLE = 4;
    static final byte STRING = 5;
    static final byte BIG_INTEGER = 6;
    static final byte BIG_DECIMAL = 7;
    static final byte MAP = 8;
    static final byte LIST = 9;

    private BinaryFormat() {}

    static long zigzag(long value)
    {
        return (value << 1) ^ (value >> 63);
    }

    static long unzigzag(long value)
    {
        return (value >>> 1) ^ -(value & 1);
    }

    /** The bytes of {@code value} as an unsigned varint: seven bits a byte, least significant first. */
    static int varintSize(long value)
    {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    /** Writes {@code value} as an unsigned varint at {@code offset}, which must leave room for it; the offset after it. */
    static int writeVarint(byte[] target, int offset, long value)
    {
        while ((value & ~0x7FL) != 0) {
            target[offset++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        target[offset++] = (byte) value;
        return offset;
    }
}
