package io.outrider.plugin.syslog;

import java.util.Arrays;

/**
 * The messages of one batch, encoded one after the other into a single writer: no array of its own per message, and
 * no list of them. Not thread-safe: an output keeps one for its delivery thread and {@link #clear()}s it per batch.
 */
final class EncodedMessages
{
    private final SyslogWriter writer;
    /** Where each message ends in the writer; message {@code i} starts where {@code i - 1} ends. */
    private int[] ends = new int[64];
    private int count;

    EncodedMessages(int initialBytes)
    {
        this.writer = new SyslogWriter(initialBytes);
    }

    /** Where the next message is encoded: after the last one {@link #add}ed. */
    SyslogWriter writer()
    {
        return writer;
    }

    /** Ends a message: what was written since the previous one. */
    void add()
    {
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
        }
        ends[count++] = writer.size();
    }

    void clear()
    {
        writer.reset();
        count = 0;
    }

    int count()
    {
        return count;
    }

    boolean isEmpty()
    {
        return count == 0;
    }

    /** The array the messages are in; valid until the next write. */
    byte[] buffer()
    {
        return writer.buffer();
    }

    int start(int message)
    {
        return message == 0 ? 0 : ends[message - 1];
    }

    int length(int message)
    {
        return ends[message] - start(message);
    }

    /** How many bytes this holds on to. */
    int capacity()
    {
        return writer.capacity() + ends.length * Integer.BYTES;
    }
}
